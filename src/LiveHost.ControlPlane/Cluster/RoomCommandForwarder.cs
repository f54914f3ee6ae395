using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane.Cluster;

/// <summary>
/// Sends a command for a room another node runs to that node's REST API, over HTTP to its <c>Cluster:PublicUrl</c>,
/// with the caller's own key and <see cref="ClusterHeaders.ForwardedBy"/>. The owner authenticates, authorizes,
/// audits and runs it exactly as if the caller had called it; this node only carries bytes. Why HTTP and not Redis:
/// see "One control plane over all nodes" in CONTRACT-ADDITIONS.md. Waits at most <c>Cluster:ForwardTimeout</c>.
/// </summary>
public sealed class RoomCommandForwarder(IHttpClientFactory clients, IRoomDirectory directory, ILogger<RoomCommandForwarder> logger)
{
    /// <summary>The named <see cref="HttpClient"/> (no redirects, no cookies, timeout <c>Cluster:ForwardTimeout</c>).</summary>
    public const string ClientName = "LiveHost.Cluster.Forwarding";

    // Hop-by-hop headers (RFC 9110 7.6.1) and those HttpClient sets itself; everything else travels as sent.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection",
        "Proxy-Authorization", "Proxy-Authenticate", "Content-Length", ClusterHeaders.ForwardedBy,
    };

    /// <summary>
    /// Forwards this request whole (method, path, query, headers, body) and writes the owner's answer (status, headers,
    /// body) as the response. When the owner cannot be reached the answer is 503 roomMoving; when it does not answer in
    /// time, 504 (the command may have run: read the room's state before sending it again).
    /// </summary>
    public async Task ForwardAsync(HttpContext context, string room, ClusterNode owner)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(owner);
        var request = context.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), Target(owner, request.Path.Value + request.QueryString.Value));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (NotForwarded.Contains(name)) continue;
            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values)) message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }

        message.Headers.TryAddWithoutValidation(ClusterHeaders.ForwardedBy, directory.Self.Id);
        if (context.Connection.RemoteIpAddress is { } caller) message.Headers.TryAddWithoutValidation("X-Forwarded-For", caller.ToString());

        using var answer = await SendAsync(message, owner, room, context.RequestAborted);
        if (answer.Failure is { } failure)
        {
            await CommandErrorMapping.ToProblem(failure.Rejection).ExecuteAsync(context);
            return;
        }

        var response = answer.Response!;
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (NotForwarded.Contains(name)) continue;
            context.Response.Headers[name] = values.ToArray();
        }

        context.Response.Headers[ClusterHeaders.ServedBy] = owner.Id;
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>
    /// A hub command for a room another node runs: <paramref name="mirror"/> (its REST twin) sent to the owner with
    /// <paramref name="key"/>; a 2xx answer is read as <typeparamref name="T"/>, any other becomes the
    /// <see cref="CommandRejectedException"/> the owner's problem <c>code</c> names, with its message.
    /// </summary>
    public async Task<T> InvokeAsync<T>(ClusterNode owner, string room, RestMirror mirror, string? key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(mirror);
        var path = "/api/rooms/" + Uri.EscapeDataString(room) + (mirror.Path.Length == 0 ? "" : "/" + mirror.Path);
        using var message = new HttpRequestMessage(mirror.Method, Target(owner, path));
        if (mirror.Body is not null) message.Content = JsonContent(mirror.Body);
        if (key is not null) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        message.Headers.TryAddWithoutValidation(ClusterHeaders.ForwardedBy, directory.Self.Id);

        using var answer = await SendAsync(message, owner, room, cancellationToken);
        if (answer.Failure is { } failure) throw failure.Rejection;
        var response = answer.Response!;
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            if (typeof(T) == typeof(bool)) return (T)(object)true;
            return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)
                ?? throw new CommandRejectedException(RejectionCode.Unavailable, $"node '{owner.Id}' answered {(int)response.StatusCode} with no body");
        }

        throw RejectionFromProblem((int)response.StatusCode, body, owner);
    }

    private static ByteArrayContent JsonContent(object body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), JsonSerializerOptions.Web));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>The owner's ProblemDetails as the rejection its <c>code</c> names (by status when the code is not a room's).</summary>
    internal static CommandRejectedException RejectionFromProblem(int status, byte[] body, ClusterNode owner)
    {
        string? code = null;
        var detail = $"node '{owner.Id}' answered {status}";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (document.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String) code = c.GetString();
                if (document.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String) detail = d.GetString() ?? detail;
            }
        }
        catch (JsonException)
        {
            // Not a problem body (a proxy's error page): the status decides.
        }

        var rejection = code is not null && Enum.TryParse<RejectionCode>(code, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : status switch
            {
                StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => RejectionCode.Forbidden,
                StatusCodes.Status404NotFound => RejectionCode.NotFound,
                StatusCodes.Status429TooManyRequests => RejectionCode.RateLimited,
                >= 400 and < 500 => RejectionCode.InvalidInput,
                _ => RejectionCode.Unavailable,
            };
        return new CommandRejectedException(rejection, detail);
    }

    private async Task<Answer> SendAsync(HttpRequestMessage message, ClusterNode owner, string room, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientName);
        try
        {
            return new Answer(await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken), null);
        }
        catch (HttpRequestException exception) when (exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostNotFound })
        {
            // Nothing was delivered: the owner is gone, and its rooms move once their leases lapse.
            ClusterLog.OwnerUnreachable(logger, owner.Id, owner.PublicUrl?.ToString() ?? "", exception.Message);
            return new Answer(null, new Failure(RoomRouter.MovingRejection(room, $" that answers (node '{owner.Id}' cannot be reached)")));
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            ClusterLog.ForwardFailed(logger, owner.Id, owner.PublicUrl?.ToString() ?? "", exception.Message);
            return new Answer(null, new Failure(new CommandRejectedException(RejectionCode.Unavailable,
                $"node '{owner.Id}', which runs the room, did not answer ({exception.GetType().Name}: within Cluster:ForwardTimeout or at all); " +
                "the command may have run there: read the room's state before sending it again")));
        }
    }

    private static Uri Target(ClusterNode owner, string pathAndQuery)
    {
        var root = owner.PublicUrl!.AbsoluteUri;
        return new Uri(new Uri(root.EndsWith('/') ? root : root + "/"), pathAndQuery.TrimStart('/'));
    }

    private sealed record Failure(CommandRejectedException Rejection);

    private sealed record Answer(HttpResponseMessage? Response, Failure? Failure) : IDisposable
    {
        public void Dispose() => Response?.Dispose();
    }
}

/// <summary>The REST twin of a hub command: method, the path under <c>/api/rooms/{room}</c> ("" for the room itself), and a JSON body.</summary>
public sealed record RestMirror(HttpMethod Method, string Path, object? Body = null)
{
    public static RestMirror Post(string path, object? body = null) => new(HttpMethod.Post, path, body);

    public static RestMirror Get(string path = "") => new(HttpMethod.Get, path);

    public static RestMirror Put(string path, object? body) => new(HttpMethod.Put, path, body);

    public static RestMirror Delete(string path) => new(HttpMethod.Delete, path);
}
