using System.Text;
using System.Text.Json;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary>
/// Records every REST command: any method but GET, HEAD and OPTIONS on a path under <c>/api</c> that an endpoint
/// serves, from a caller with a valid key (so commands other helpers add are recorded without touching this). WHEP
/// (<c>/whep</c>) is not recorded: creating or ending a viewing session changes no room and no library, and it needs no
/// key by default, so recording it would let anyone grow the log. Calls without a valid key (401) are not recorded
/// either, for the same reason; a key's refusals (403, 400, 404, 503...) are.
/// <para>
/// Ordering: the entry is appended when the response starts (<c>OnStarting</c>, before the status line leaves), so a
/// caller that got an answer knows its command is in the log; a call whose caller went away before an answer started is
/// recorded when the pipeline ends (<c>aborted</c> unless it had succeeded). Before the command runs, a log that cannot
/// be written refuses it (503 <c>storageFailed</c>). The arguments are the path, the query and the body as far as the
/// endpoint read it (the first <see cref="AuditArguments.MaxBytes"/> bytes are kept; never more is buffered).
/// </para>
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next)
{
    /// <summary>HttpContext.Items key under which the error-response customization leaves the ProblemDetails <c>code</c>.</summary>
    public const string CodeItem = "LiveHost.Audit.Code";

    public async Task InvokeAsync(HttpContext context, IAuditLog audit, AuditCaller caller, TimeProvider time)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        try
        {
            audit.EnsureWritable();
        }
        catch (CommandRejectedException rejection)
        {
            await CommandErrorMapping.ToProblem(rejection).ExecuteAsync(context);
            return;
        }

        var at = time.GetUtcNow();
        var body = new CapturingStream(request.Body, AuditArguments.MaxBytes);
        request.Body = body;
        var recorded = 0;
        void Record(bool started)
        {
            if (Interlocked.Exchange(ref recorded, 1) == 1) return;
            if (Describe(context, caller, body, at, started) is { } record) audit.Append(record);
        }

        context.Response.OnStarting(() =>
        {
            Record(started: true);
            return Task.CompletedTask;
        });
        try
        {
            await next(context);
        }
        finally
        {
            // Nothing was sent (the caller went away, or an exception escaped every handler): record what is known now.
            Record(started: context.Response.HasStarted);
            request.Body = body.Inner;
        }
    }

    private static AuditRecord? Describe(HttpContext context, AuditCaller caller, CapturingStream body, DateTimeOffset at, bool started)
    {
        var handled = context.Features.Get<IExceptionHandlerFeature>();
        var endpoint = context.GetEndpoint() ?? handled?.Endpoint;
        var request = context.Request;
        if (endpoint is not RouteEndpoint route
            || endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods
            || !methods.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase)
            || context.User.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var routeValues = handled?.RouteValues ?? request.RouteValues;
        var room = routeValues.TryGetValue("room", out var value) ? value as string : null;
        var status = context.Response.StatusCode;
        string result;
        if (!started && context.RequestAborted.IsCancellationRequested) result = AuditCaller.Aborted;
        else if (status < 400) result = AuditCaller.Ok;
        else
        {
            var code = context.Items[CodeItem] as string ?? CommandErrorMapping.CodeForStatus(status);
            result = status == StatusCodes.Status500InternalServerError ? AuditCaller.Failed(code) : AuditCaller.Refused(code);
        }

        var command = $"{request.Method} {route.RoutePattern.RawText}";
        return new AuditRecord(at, AuditCaller.KeyName(context.User), AuditCaller.RoleName(context.User), AuditCaller.Limit(room), command,
            Arguments(request, body, caller), result);
    }

    /// <summary><c>{ path, query?, body?, bodyBytes? }</c>: the body as JSON when it is complete JSON, else text, else a description.</summary>
    private static string Arguments(HttpRequest request, CapturingStream body, AuditCaller caller)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal) { ["path"] = request.Path.Value };
        if (request.Query.Count > 0)
        {
            arguments["query"] = request.Query.ToDictionary(q => q.Key, q => q.Value.Count == 1 ? (object?)q.Value[0] : q.Value.ToArray(), StringComparer.Ordinal);
        }

        if (body.Total > 0)
        {
            arguments["bodyBytes"] = body.Total;
            arguments["body"] = Body(request.ContentType, body);
        }

        return AuditArguments.Canonical(JsonSerializer.SerializeToElement(arguments), caller.IsApiKey);
    }

    private static object? Body(string? contentType, CapturingStream body)
    {
        var kept = body.Kept;
        var complete = body.Total == kept.Length;
        if (complete && (contentType is null || contentType.Contains("json", StringComparison.OrdinalIgnoreCase)))
        {
            try
            {
                return JsonSerializer.Deserialize<JsonElement>(kept);
            }
            catch (JsonException)
            {
                // Not JSON after all: kept as text below.
            }
        }

        var textual = contentType is null || contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("json", StringComparison.OrdinalIgnoreCase);
        if (textual && Utf8Prefix(kept) is { } text) return complete ? text : text + $"…[{body.Total} bytes read]";
        return $"[{body.Total} bytes of {contentType ?? "unknown type"}]";
    }

    /// <summary>The kept bytes as text when they are UTF-8 (a sequence cut at the end is dropped), else null.</summary>
    private static string? Utf8Prefix(ReadOnlySpan<byte> bytes)
    {
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        for (var drop = 0; drop <= 3 && drop <= bytes.Length; drop++)
        {
            try
            {
                var text = strict.GetString(bytes[..^drop]);
                return text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) ? null : text;
            }
            catch (DecoderFallbackException)
            {
            }
        }
        return null;
    }

    /// <summary>Registers the middleware in front of everything (a startup filter), so no host has to place it.</summary>
    public sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            if (app.ApplicationServices.GetService<IAuditLog>() is not null) app.UseMiddleware<AuditMiddleware>();
            next(app);
        };
    }
}
