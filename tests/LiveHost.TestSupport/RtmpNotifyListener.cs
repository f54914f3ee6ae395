using System.Diagnostics;
using System.Net;
using System.Threading.Channels;

namespace LiveHost.TestSupport;

/// <summary>One nginx-rtmp notification: <c>publish</c> or <c>publish_done</c> for stream <c>Name</c>, and when it came (Stopwatch ticks).</summary>
public sealed record RtmpNotification(string Call, string Name, long ReceivedAt);

/// <summary>
/// Receives nginx-rtmp's on_publish / on_publish_done callbacks (form-encoded POSTs) on a loopback HTTP port and
/// answers 200, so a test can await "the stream is published" and "the stream is gone" as events instead of polling
/// the server. Pass <see cref="Url"/> to <see cref="NginxRtmpServer.StartNewAsync(string?, CancellationToken)"/>.
/// </summary>
public sealed class RtmpNotifyListener : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<RtmpNotification> _notifications = Channel.CreateUnbounded<RtmpNotification>();
    private readonly Task _loop;

    public RtmpNotifyListener()
    {
        var port = FreePort.GetLoopbackTcpPort();
        Url = $"http://127.0.0.1:{port}/rtmp-notify";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public string Url { get; }

    /// <summary>Waits for the next notification of <paramref name="call"/> for stream <paramref name="name"/>, skipping others.</summary>
    public async Task<RtmpNotification> WaitForAsync(string call, string name, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var next = await _notifications.Reader.ReadAsync(cancel.Token);
                if (next.Call == call && next.Name == name) return next;
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"nginx-rtmp sent no '{call}' for stream '{name}' within {timeout.TotalSeconds:0.#} s");
        }
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var receivedAt = Stopwatch.GetTimestamp();
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                var form = ParseForm(await reader.ReadToEndAsync());
                _notifications.Writer.TryWrite(new RtmpNotification(form.GetValueOrDefault("call", ""), form.GetValueOrDefault("name", ""), receivedAt));
            }
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    private static Dictionary<string, string> ParseForm(string body)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) continue;
            values[Uri.UnescapeDataString(pair[..equals].Replace('+', ' '))] = Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
        }
        return values;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
