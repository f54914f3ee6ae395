using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary>
/// Every error the server answers is a ProblemDetails with a <c>code</c>: the endpoints' own (a room's refusal keeps its
/// rejection code), and those no endpoint writes: 404 for a path nothing serves, 405 for a method a path does not take,
/// 413 from the server's body limit, 500 for an unexpected exception (its message stays in the log).
/// </summary>
public static class ErrorResponses
{
    /// <summary>ProblemDetails (with <c>code</c> added where missing) for results, status-code pages and the exception handler.</summary>
    public static IServiceCollection AddLiveHostErrorResponses(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Extensions.TryAdd("code", CommandErrorMapping.CodeForStatus(status));
            problem.Detail ??= DefaultDetail(status, context.HttpContext.Request);
        });

    /// <summary>
    /// The exception handler and status-code pages. Call before the endpoints are mapped; WebApplication already put
    /// routing and authentication in front, whose 401/403 carry their own ProblemDetails.
    /// </summary>
    public static IApplicationBuilder UseLiveHostErrorResponses(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        return app;
    }

    private static string? DefaultDetail(int status, HttpRequest request) => status switch
    {
        StatusCodes.Status404NotFound => $"nothing is served at {request.Path}",
        StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}",
        StatusCodes.Status500InternalServerError => "an unexpected error happened; the server's log has the details",
        _ => null,
    };
}
