using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace LiveHost.TestSupport;

/// <summary>
/// A SignalR client over a raw WebSocket that completes the handshake, makes one call (so the server has run
/// OnConnected and put it in main's group), and then stops reading: what a frozen browser tab or a dead mobile
/// link looks like to the server. Its socket's receive buffer is small and fixed, so the server's writes back up soon.
/// </summary>
public sealed class StalledHubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;
    private readonly StringBuilder _received = new();
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
    private readonly char[] _chars = new char[16 * 1024 + 4];

    private StalledHubClient(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        _socket = socket;
        _invoker = invoker;
    }

    public static async Task<StalledHubClient> ConnectAsync(Uri baseAddress, string key, CancellationToken cancellationToken)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var invoker = new HttpMessageInvoker(handler);
        var webSocket = new ClientWebSocket();
        webSocket.Options.KeepAliveInterval = TimeSpan.Zero;
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/hubs/control", Query = "access_token=" + key }.Uri;
        var client = new StalledHubClient(webSocket, invoker);
        try
        {
            await webSocket.ConnectAsync(uri, invoker, cancellationToken);
            await client.SendAsync("{\"protocol\":\"json\",\"version\":1}", cancellationToken);
            await client.ReadRecordAsync(cancellationToken); // the handshake answer
            await client.SendAsync("{\"type\":1,\"invocationId\":\"0\",\"target\":\"GetState\",\"arguments\":[]}", cancellationToken);
            while (!(await client.ReadRecordAsync(cancellationToken)).Contains("\"invocationId\":\"0\"", StringComparison.Ordinal))
            {
            }
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts reading again and returns the invocations' targets and first arguments' ids, until the server closes.</summary>
    public async Task<IReadOnlyList<string>> ReadUntilClosedAsync(CancellationToken cancellationToken)
    {
        var records = new List<string>();
        try
        {
            while (true) records.Add(await ReadRecordAsync(cancellationToken));
        }
        catch (Exception exception) when (exception is WebSocketException or IOException)
        {
            // Closed (EndOfStreamException) or reset by the server.
        }
        return records;
    }

    /// <summary>Starts reading again and returns the next <paramref name="count"/> messages.</summary>
    public async Task<IReadOnlyList<string>> ReadAsync(int count, CancellationToken cancellationToken)
    {
        var records = new List<string>();
        while (records.Count < count) records.Add(await ReadRecordAsync(cancellationToken));
        return records;
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        _invoker.Dispose();
        await Task.CompletedTask;
    }

    private Task SendAsync(string json, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, cancellationToken);

    private async Task<string> ReadRecordAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var text = _received.ToString();
            var end = text.IndexOf(RecordSeparator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _received.Remove(0, end + 1);
                var record = text[..end];
                if (record.Contains("\"type\":6", StringComparison.Ordinal)) continue; // ping
                return record;
            }
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) throw new EndOfStreamException("the server closed the connection");
            var decoded = _utf8.GetChars(buffer, 0, result.Count, _chars, 0);
            _received.Append(_chars, 0, decoded);
        }
    }
}
