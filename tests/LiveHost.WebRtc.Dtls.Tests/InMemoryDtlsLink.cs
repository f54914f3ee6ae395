using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace LiveHost.WebRtc.Dtls.Tests;

/// <summary>
/// An in-memory UDP path between a BouncyCastle DTLS client (this object is its DatagramTransport) and a
/// <see cref="DtlsSrtpServer"/> (whose send callback is <see cref="SendToClient"/>). Records every datagram in
/// both directions and can impair either direction.
/// </summary>
internal sealed class InMemoryDtlsLink : DatagramTransport
{
    private readonly BlockingCollection<byte[]> _toClient = [];
    private readonly object _gate = new();
    private readonly List<byte[]> _clientSent = [];
    private readonly List<byte[]> _serverSent = [];
    private DtlsSrtpServer? _server;
    private volatile bool _closed;

    public DatagramImpairment ClientToServer { get; init; } = new();

    public DatagramImpairment ServerToClient { get; init; } = new();

    public void Attach(DtlsSrtpServer server) => _server = server;

    public IReadOnlyList<byte[]> ClientSent
    {
        get
        {
            lock (_gate)
            {
                return [.. _clientSent];
            }
        }
    }

    public IReadOnlyList<byte[]> ServerSent
    {
        get
        {
            lock (_gate)
            {
                return [.. _serverSent];
            }
        }
    }

    /// <summary>The server's send callback.</summary>
    public void SendToClient(ReadOnlySpan<byte> datagram)
    {
        byte[] copy = datagram.ToArray();
        lock (_gate)
        {
            _serverSent.Add(copy);
        }

        foreach (byte[] deliver in ServerToClient.Apply(copy))
        {
            if (!_closed)
            {
                _toClient.Add(deliver);
            }
        }
    }

    public int GetReceiveLimit() => 1500;

    public int GetSendLimit() => 1200;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (_closed)
        {
            return -1;
        }

        // BouncyCastle's 0 means "no limit"; cap it so a closed test never leaves this thread blocked for long.
        if (!_toClient.TryTake(out byte[]? datagram, waitMillis <= 0 ? 1000 : waitMillis))
        {
            return -1;
        }

        int length = Math.Min(datagram.Length, buffer.Length);
        datagram.AsSpan(0, length).CopyTo(buffer);
        return length;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        byte[] copy = buffer.ToArray();
        lock (_gate)
        {
            _clientSent.Add(copy);
        }

        foreach (byte[] deliver in ClientToServer.Apply(copy))
        {
            _server?.Receive(deliver);
        }
    }

    public void Close() => _closed = true;
}
