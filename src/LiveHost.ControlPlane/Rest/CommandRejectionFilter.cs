using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary>Turns a <see cref="CommandRejectedException"/> from any REST endpoint into its ProblemDetails (via <see cref="CommandErrorMapping"/>).</summary>
public sealed class CommandRejectionFilter(string command) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var metrics = context.HttpContext.RequestServices.GetRequiredService<LiveHostMetrics>();
        try
        {
            var result = await next(context);
            if (result is IStatusCodeHttpResult { StatusCode: >= 400 })
            {
                metrics.CommandRejected(command, RejectionCode.InvalidInput);
            }
            else
            {
                metrics.CommandSucceeded(command);
            }

            return result;
        }
        catch (CommandRejectedException rejection)
        {
            metrics.CommandRejected(command, rejection.Code);
            return CommandErrorMapping.ToProblem(rejection);
        }
    }
}
