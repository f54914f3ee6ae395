using System.Net;
using LiveHost.Srt.Native;

namespace LiveHost.Srt;

/// <summary>
/// One SRT caller connection in live mode (libsrt): options set before connecting (transtype live, latency, passphrase
/// with enforced encryption, stream id, connect and peer-idle timeouts, send timeout), then blocking sends of whole
/// 7-packet MPEG-TS messages (1316 bytes, SRT's live payload size). Not thread-safe: its output's sending thread owns it.
/// </summary>
public sealed unsafe class SrtConnection : IDisposable
{
    /// <summary>Seven 188-byte TS packets: what SRT's live mode carries per UDP packet (SRT_LIVE_DEF_PLSIZE).</summary>
    public const int MessageSize = 7 * 188;

    private int _socket = LibSrt.Invalid;
    private long _bytesSent;

    private SrtConnection(int socket) => _socket = socket;

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Connects (blocking, up to <paramref name="connectTimeout"/>) to <paramref name="endpoint"/>.</summary>
    /// <exception cref="SrtException">libsrt refused an option or the connection (its message says why).</exception>
    public static SrtConnection Connect(SrtUrl url, IPEndPoint endpoint, TimeSpan connectTimeout, TimeSpan stallTimeout)
    {
        LibSrt.EnsureStarted();
        var socket = LibSrt.CreateSocket();
        if (socket == LibSrt.Invalid) throw new SrtException($"srt_create_socket failed: {LibSrt.LastError()}");
        var connection = new SrtConnection(socket);
        try
        {
            LibSrt.SetInt(socket, LibSrt.OptTransType, LibSrt.TransTypeLive, "transtype");
            LibSrt.SetInt(socket, LibSrt.OptLatency, url.LatencyMilliseconds, "latency");
            LibSrt.SetInt(socket, LibSrt.OptConnectTimeout, (int)connectTimeout.TotalMilliseconds, "connect timeout");
            // A listener that went away is noticed within this, not SRT's default 5 s.
            LibSrt.SetInt(socket, LibSrt.OptPeerIdleTimeout, (int)Math.Min(stallTimeout.TotalMilliseconds, 5000), "peer idle timeout");
            LibSrt.SetInt(socket, LibSrt.OptSendTimeout, (int)stallTimeout.TotalMilliseconds, "send timeout");
            if (url.Passphrase is { } passphrase)
            {
                LibSrt.SetString(socket, LibSrt.OptPassphrase, passphrase, "passphrase");
                LibSrt.SetInt(socket, LibSrt.OptEnforcedEncryption, 1, "enforced encryption");
            }
            if (url.StreamId is { } streamId) LibSrt.SetString(socket, LibSrt.OptStreamId, streamId, "streamid");
            if (LibSrt.Connect(socket, endpoint) < 0) throw new SrtException($"SRT connect to {endpoint} failed: {LibSrt.LastError()}");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="data"/> (whole TS packets) as messages of up to <see cref="MessageSize"/> bytes; blocks while SRT's buffer is full.</summary>
    /// <exception cref="SrtException">The connection broke, or a send made no progress within the stall timeout.</exception>
    public void Send(ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            var offset = 0;
            while (offset < data.Length)
            {
                var length = Math.Min(MessageSize, data.Length - offset);
                var socket = Volatile.Read(ref _socket);
                if (socket == LibSrt.Invalid) throw new SrtException("the SRT connection is closed");
                if (LibSrt.Send(socket, start + offset, length) < 0) throw new SrtException($"SRT send failed: {LibSrt.LastError()}");
                offset += length;
                Interlocked.Add(ref _bytesSent, length);
            }
        }
    }

    /// <summary>Closes the socket; a send blocked on it returns with an error.</summary>
    public void Dispose()
    {
        var socket = Interlocked.Exchange(ref _socket, LibSrt.Invalid);
        // A close that fails leaves nothing to do: the socket is gone from our side either way.
        if (socket != LibSrt.Invalid) _ = LibSrt.Close(socket);
    }
}
