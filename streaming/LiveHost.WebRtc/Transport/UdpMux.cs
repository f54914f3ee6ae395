using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LiveHost.WebRtc.Ice;
using Microsoft.Extensions.Logging;

namespace LiveHost.WebRtc.Transport;

/// <summary>
/// The single UDP port all viewers share (ICE-lite, BUNDLE, rtcp-mux: one 5-tuple per viewer). Datagrams from a
/// known address go to its handler; the first STUN check from a new address is routed by the USERNAME's local
/// ufrag, and the handler decides (by checking MESSAGE-INTEGRITY) whether to adopt that address. Sends never
/// block: the socket is non-blocking and a full kernel buffer is a counted drop, as UDP would drop it anyway.
/// Knows nothing of rooms or media.
/// </summary>
public sealed partial class UdpMux : IDisposable
{
    private const int MaxDatagram = 2048;

    private readonly Socket _socket;
    private readonly ILogger<UdpMux> _logger;
    private readonly ConcurrentDictionary<SocketAddress, IDatagramHandler> _byAddress = new();
    private readonly ConcurrentDictionary<string, IDatagramHandler> _byUfrag = new(StringComparer.Ordinal);
    private readonly Thread _receiver;
    private readonly BatchedUdpSender _batches;
    private volatile bool _stopping;
    private long _sendDrops;
    private long _unroutable;

    /// <param name="allowSegmentation">False keeps every datagram its own message (tests of the plain sendmmsg path).</param>
    public UdpMux(IPEndPoint bind, ILogger<UdpMux> logger, bool allowSegmentation = true)
    {
        _logger = logger;
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // Viewers' bursts (a keyframe is tens of packets) must not be dropped by a small default buffer.
        _socket.SendBufferSize = 4 * 1024 * 1024;
        _socket.ReceiveBufferSize = 1024 * 1024;
        _socket.Bind(bind);
        _socket.Blocking = false;
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _batches = new BatchedUdpSender(_socket, logger, allowSegmentation);
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "livehost-udp-mux" };
        _receiver.Start();
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Datagrams the kernel refused because its send buffer was full.</summary>
    public long SendDrops => Interlocked.Read(ref _sendDrops);

    /// <summary>Datagrams from unknown addresses that were not a STUN check for a known session.</summary>
    public long Unroutable => Interlocked.Read(ref _unroutable);

    /// <summary>The batches viewers' send loops write into; see <see cref="SendBatch"/>.</summary>
    public DatagramBatchPool BatchPool { get; } = new();

    /// <summary>How batches leave the port (sendmmsg, UDP_SEGMENT) and how many system calls they took.</summary>
    public BatchedUdpSender BatchSender => _batches;

    /// <summary>
    /// Sends every datagram of <paramref name="batch"/> to <paramref name="to"/> in as few system calls as the
    /// platform allows (see <see cref="BatchedUdpSender"/>); each refused one is counted in <see cref="SendDrops"/>.
    /// </summary>
    /// <returns>Datagrams the kernel took; <see cref="DatagramBatch.WasSent"/> says which.</returns>
    public int SendBatch(DatagramBatch batch, SocketAddress to)
    {
        var sent = _batches.Send(batch, to);
        if (sent < batch.Count) Interlocked.Add(ref _sendDrops, batch.Count - sent);
        return sent;
    }

    public void RegisterUfrag(string localUfrag, IDatagramHandler handler) => _byUfrag[localUfrag] = handler;

    /// <summary>Routes this address's datagrams to <paramref name="handler"/> from now on (a copy of it is kept).</summary>
    public void RegisterAddress(SocketAddress address, IDatagramHandler handler)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        _byAddress[copy] = handler;
    }

    public void Unregister(IDatagramHandler handler, string localUfrag)
    {
        _byUfrag.TryRemove(new KeyValuePair<string, IDatagramHandler>(localUfrag, handler));
        foreach (var pair in _byAddress)
        {
            if (pair.Value == handler) _byAddress.TryRemove(pair);
        }
    }

    /// <summary>Sends one datagram; false (counted) when the kernel buffer is full or the socket is closed.</summary>
    public bool Send(ReadOnlySpan<byte> datagram, SocketAddress to)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
            return true;
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _sendDrops);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private void ReceiveLoop()
    {
        var buffer = new byte[MaxDatagram];
        var from = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            int length;
            try
            {
                if (!_socket.Poll(200_000, SelectMode.SelectRead)) continue;
                length = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                if (!_stopping) LogReceiveFailed(ex);
                continue;
            }

            var datagram = buffer.AsSpan(0, length);
            try
            {
                if (_byAddress.TryGetValue(from, out var handler))
                {
                    handler.OnDatagram(datagram, from);
                }
                else if (PacketClassifier.Classify(datagram) == PacketKind.Stun
                    && IceLiteAgent.TryGetLocalUfrag(datagram, out var ufrag)
                    && _byUfrag.TryGetValue(Encoding.UTF8.GetString(ufrag), out handler))
                {
                    handler.OnDatagram(datagram, from);
                }
                else
                {
                    Interlocked.Increment(ref _unroutable);
                }
            }
            catch (Exception ex)
            {
                // One peer's bad packet must never stop the port for everyone else.
                LogHandlerFailed(ex);
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _receiver.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
        BatchPool.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "UDP receive failed")]
    private partial void LogReceiveFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A datagram handler threw; the datagram was dropped")]
    private partial void LogHandlerFailed(Exception exception);
}
