using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LiveHost.WebRtc.Ice;

/// <summary>
/// One TURN allocation (RFC 8656) over UDP, from a socket of its own, with long-term credentials:
/// <code>
///  Allocate ──401 (REALM, NONCE)──▶ Allocate + USERNAME, REALM, NONCE, MESSAGE-INTEGRITY ──▶ relayed address
///     every min(lifetime / 2, 4 min): Refresh (LIFETIME) and CreatePermission for the peers; 438 → new NONCE, retry
///  peer ──Data indication──▶ this ──UDP from a per-peer proxy socket──▶ the local agent (<c>deliverTo</c>)
///  local agent ──UDP to that proxy socket──▶ this ──Send indication (XOR-PEER-ADDRESS, DATA)──▶ peer
///  dispose: Refresh with LIFETIME 0 (the server frees the relay at once)
/// </code>
/// The proxy sockets let the local ICE/DTLS/SRTP stack use the relay as if the peer sent from a local address: it
/// answers that address, and what it sends there leaves through the relay. Buffers are rented from the shared pool and
/// returned on dispose. Failures to allocate throw <see cref="TurnException"/> with a message an operator can act on.
/// </summary>
public sealed class TurnClient : IAsyncDisposable
{
    private const int MaxDatagram = 2048;
    private const byte UdpTransport = 17;
    private static readonly TimeSpan PermissionLifetime = TimeSpan.FromMinutes(4); // permissions last 5 minutes (§9)

    private readonly Socket _socket;
    private readonly SocketAddress _serverAddress;
    private readonly string _username;
    private readonly string _password;
    private readonly IPEndPoint? _deliverTo;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<StunTransaction, byte> _pending = new();
    private readonly ConcurrentDictionary<IPEndPoint, PeerProxy> _proxies = new();
    private readonly ConcurrentDictionary<IPAddress, byte> _permissions = new();
    private Task _receiving = Task.CompletedTask;
    private Task _refreshing = Task.CompletedTask;
    private byte[]? _key;
    private string _realm = "";
    private string _nonce = "";
    private long _toPeers;
    private long _fromPeers;
    private int _disposed;

    private TurnClient(IceServerUrl server, IPEndPoint serverEndPoint, string username, string password, IPEndPoint? deliverTo, TimeSpan timeout, TimeProvider time)
    {
        Server = server;
        ServerEndPoint = serverEndPoint;
        _username = username;
        _password = password;
        _deliverTo = deliverTo;
        _timeout = timeout;
        _time = time;
        _socket = new Socket(serverEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(serverEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        _serverAddress = serverEndPoint.Serialize();
    }

    public IceServerUrl Server { get; }
    public IPEndPoint ServerEndPoint { get; }

    /// <summary>The address peers send to (the relay candidate).</summary>
    public IPEndPoint RelayedAddress { get; private set; } = new(IPAddress.None, 0);

    /// <summary>This client's address as the TURN server saw it (the relay candidate's related address).</summary>
    public IPEndPoint MappedAddress { get; private set; } = new(IPAddress.None, 0);

    public TimeSpan Lifetime { get; private set; }

    /// <summary>Raised after each successful round of Refresh (and CreatePermission for the known peers).</summary>
    public event Action<TurnClient>? Refreshed;

    /// <summary>Datagrams sent to peers through the relay (Send indications), counted as they are sent.</summary>
    public long DatagramsToPeers => Interlocked.Read(ref _toPeers);

    /// <summary>Datagrams peers sent through the relay (Data indications), counted as they are handed to <c>deliverTo</c>.</summary>
    public long DatagramsFromPeers => Interlocked.Read(ref _fromPeers);

    /// <summary>
    /// Allocates a UDP relay on <paramref name="server"/> (already resolved to <paramref name="serverEndPoint"/>).
    /// Datagrams peers send to the relay are forwarded to <paramref name="deliverTo"/> (null: dropped).
    /// </summary>
    /// <exception cref="TurnException">The server refused (the message says why: credentials, quota, capacity) or did not answer.</exception>
    public static async Task<TurnClient> AllocateAsync(IceServerUrl server, IPEndPoint serverEndPoint, string username, string password,
        IPEndPoint? deliverTo, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var client = new TurnClient(server, serverEndPoint, username, password, deliverTo, timeout, time);
        try
        {
            client._receiving = Task.Run(() => client.ReceiveLoopAsync(client._stop.Token), CancellationToken.None);
            await client.AllocateAsync(cancellationToken).ConfigureAwait(false);
            client._refreshing = Task.Run(() => client.RefreshLoopAsync(client._stop.Token), CancellationToken.None);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task AllocateAsync(CancellationToken cancellationToken)
    {
        // The first Allocate is unsigned; the server's 401 names the realm and a nonce (RFC 8656 §7.1, RFC 8489 §9.2.3).
        var response = await TransactAsync(TurnMessageType.AllocateRequest, signed: false, WriteAllocate, cancellationToken).ConfigureAwait(false);
        if (IsError(response, out var code, out var reason) && code == TurnErrorCode.Unauthorized)
        {
            if (!ReadRealmAndNonce(response)) throw Refused("answered 401 without REALM and NONCE");
            _key = StunLongTermKey.Compute(_username, _realm, _password);
            response = await SignedAsync(TurnMessageType.AllocateRequest, WriteAllocate, cancellationToken).ConfigureAwait(false);
        }
        if (IsError(response, out code, out reason))
        {
            throw code switch
            {
                TurnErrorCode.Unauthorized => Refused($"refused the credentials of user '{_username}' (401 {reason}); check WebRtc:IceServers username and credential"),
                TurnErrorCode.Forbidden => Refused($"forbids user '{_username}' to allocate (403 {reason})"),
                TurnErrorCode.AllocationQuotaReached => Refused($"has no allocation left for user '{_username}' (486 {reason})"),
                TurnErrorCode.InsufficientCapacity => Refused($"has no relay capacity left (508 {reason})"),
                _ => Refused($"refused the allocation ({code} {reason})"),
            };
        }
        if (!TryRead(response, out var message) || message.MessageType != TurnMessageType.AllocateSuccess
            || !message.TryGetXorAddress(TurnAttributeType.XorRelayedAddress, out var relayed))
        {
            throw Refused("answered the Allocate without a relayed address");
        }
        if (_key is not null && !message.VerifyMessageIntegrity(_key)) throw Refused("sent an Allocate response that fails MESSAGE-INTEGRITY");
        RelayedAddress = relayed!;
        MappedAddress = message.TryGetXorMappedAddress(out var mapped) ? mapped! : new IPEndPoint(IPAddress.None, 0);
        Lifetime = TimeSpan.FromSeconds(message.TryGetLifetime(out var seconds) ? seconds : 600);
    }

    /// <summary>Lets <paramref name="peers"/> send through the relay (CreatePermission, one request for all; renewed with the allocation).</summary>
    /// <exception cref="TurnException">The server refused or did not answer.</exception>
    public async Task CreatePermissionAsync(IReadOnlyCollection<IPAddress> peers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peers);
        if (peers.Count == 0) return;
        foreach (var peer in peers) _permissions[peer] = 0;
        await PermitAsync(peers, cancellationToken).ConfigureAwait(false);
    }

    private async Task PermitAsync(IReadOnlyCollection<IPAddress> peers, CancellationToken cancellationToken)
    {
        var response = await SignedAsync(TurnMessageType.CreatePermissionRequest, (ref StunMessageWriter writer) =>
        {
            foreach (var peer in peers) writer.AddXorAddress(TurnAttributeType.XorPeerAddress, peer, 0);
        }, cancellationToken).ConfigureAwait(false);
        if (IsError(response, out var code, out var reason)) throw Refused($"refused CreatePermission for {string.Join(", ", peers)} ({code} {reason})");
    }

    private async Task RefreshAsync(uint lifetimeSeconds, CancellationToken cancellationToken)
    {
        var response = await SignedAsync(TurnMessageType.RefreshRequest,
            (ref StunMessageWriter writer) => WriteLifetime(ref writer, lifetimeSeconds), cancellationToken).ConfigureAwait(false);
        if (IsError(response, out var code, out var reason)) throw Refused($"refused the Refresh ({code} {reason})");
    }

    private async Task RefreshLoopAsync(CancellationToken stopping)
    {
        var every = Lifetime / 2 < PermissionLifetime ? Lifetime / 2 : PermissionLifetime;
        if (every < TimeSpan.FromSeconds(1)) every = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _time, stopping).ConfigureAwait(false);
                await RefreshAsync((uint)Lifetime.TotalSeconds, stopping).ConfigureAwait(false);
                if (!_permissions.IsEmpty) await PermitAsync(_permissions.Keys.ToArray(), stopping).ConfigureAwait(false);
                Refreshed?.Invoke(this);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is TurnException or TimeoutException or SocketException)
            {
                // The next round tries again; an allocation that lapses shows as the session ending.
            }
        }
    }

    // ---- transactions ---------------------------------------------------------------------------------------

    private delegate void AttributeWriter(ref StunMessageWriter writer);

    private static void WriteAllocate(ref StunMessageWriter writer) => writer.AddAttribute(TurnAttributeType.RequestedTransport, [UdpTransport, 0, 0, 0]);

    private static void WriteLifetime(ref StunMessageWriter writer, uint seconds)
    {
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, seconds);
        writer.AddAttribute(TurnAttributeType.Lifetime, value);
    }

    /// <summary>A signed request; a 438 (stale nonce) is retried once with the new nonce.</summary>
    private async Task<byte[]> SignedAsync(ushort type, AttributeWriter attributes, CancellationToken cancellationToken)
    {
        var response = await TransactAsync(type, signed: true, attributes, cancellationToken).ConfigureAwait(false);
        if (IsError(response, out var code, out _) && code == TurnErrorCode.StaleNonce && ReadRealmAndNonce(response))
        {
            _key = StunLongTermKey.Compute(_username, _realm, _password);
            response = await TransactAsync(type, signed: true, attributes, cancellationToken).ConfigureAwait(false);
        }
        return response;
    }

    private async Task<byte[]> TransactAsync(ushort type, bool signed, AttributeWriter attributes, CancellationToken cancellationToken)
    {
        var transaction = new StunTransaction();
        var buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        try
        {
            var writer = new StunMessageWriter(buffer, type, transaction.TransactionId);
            attributes(ref writer);
            if (signed && _key is not null)
            {
                writer.AddUsername(Encoding.UTF8.GetBytes(_username));
                writer.AddAttribute(TurnAttributeType.Realm, Encoding.UTF8.GetBytes(_realm));
                writer.AddAttribute(TurnAttributeType.Nonce, Encoding.UTF8.GetBytes(_nonce));
                writer.AddMessageIntegrity(_key);
            }
            writer.AddFingerprint();
            var length = writer.Length;
            _pending[transaction] = 0;
            try
            {
                return await transaction.RunAsync(request => SendToServer(request.Span), buffer.AsMemory(0, length), _timeout, _time, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TurnException($"TURN server {Server} ({ServerEndPoint}) did not answer within {_timeout.TotalSeconds:0.#} s");
            }
            finally
            {
                _pending.TryRemove(transaction, out _);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void SendToServer(ReadOnlySpan<byte> datagram)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, _serverAddress);
        }
        catch (SocketException)
        {
            // ICMP errors from an earlier send, or a full buffer: the transaction's retransmission or timeout covers it.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private bool ReadRealmAndNonce(byte[] response)
    {
        if (!TryRead(response, out var message) || !message.TryGetAttribute(TurnAttributeType.Realm, out var realm)
            || !message.TryGetAttribute(TurnAttributeType.Nonce, out var nonce)) return false;
        _realm = Encoding.UTF8.GetString(realm);
        _nonce = Encoding.UTF8.GetString(nonce);
        return true;
    }

    private static bool TryRead(byte[] datagram, out StunMessage message) => StunMessage.TryParse(datagram, out message);

    private static bool IsError(byte[] response, out int code, out string reason)
    {
        code = 0;
        reason = "";
        if (!TryRead(response, out var message) || TurnMessageType.Class(message.MessageType) != 0x0110) return false;
        if (message.TryGetErrorCode(out code, out var text)) reason = Encoding.UTF8.GetString(text);
        return true;
    }

    private TurnException Refused(string what) => new($"TURN server {Server} ({ServerEndPoint}) {what}");

    // ---- data path ------------------------------------------------------------------------------------------

    private async Task ReceiveLoopAsync(CancellationToken stopping)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        var from = new SocketAddress(_socket.AddressFamily);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                int length;
                try
                {
                    length = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from, stopping).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    continue; // ICMP port unreachable from an earlier send and the like
                }
                if (!from.Equals(_serverAddress)) continue;
                OnServerDatagram(buffer.AsSpan(0, length));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void OnServerDatagram(ReadOnlySpan<byte> datagram)
    {
        if (TryReadDataIndication(datagram, out var peer, out var data))
        {
            if (_deliverTo is null) return;
            var proxy = _proxies.GetOrAdd(peer, p => new PeerProxy(this, p, _deliverTo));
            // Counted before it is handed on, so whoever receives it sees the count already.
            Interlocked.Increment(ref _fromPeers);
            proxy.Deliver(data);
            return;
        }
        foreach (var transaction in _pending.Keys)
        {
            if (transaction.TryComplete(datagram)) return;
        }
    }

    /// <summary>
    /// Reads a Data indication (RFC 8656 §11.4): the peer that sent to the relay (XOR-PEER-ADDRESS) and what it sent
    /// (DATA, a slice of <paramref name="datagram"/>). False for anything else or a malformed one; never throws.
    /// </summary>
    public static bool TryReadDataIndication(ReadOnlySpan<byte> datagram, out IPEndPoint peer, out ReadOnlySpan<byte> data)
    {
        peer = null!;
        data = default;
        if (!StunMessage.TryParse(datagram, out var message) || message.MessageType != TurnMessageType.DataIndication
            || !message.TryGetXorAddress(TurnAttributeType.XorPeerAddress, out var from) || !message.TryGetAttribute(TurnAttributeType.Data, out data)) return false;
        peer = from!;
        return true;
    }

    /// <summary>Wraps <paramref name="data"/> for <paramref name="peer"/> in a Send indication (RFC 8656 §11) into <paramref name="buffer"/> and sends it.</summary>
    private void SendToPeer(IPEndPoint peer, ReadOnlySpan<byte> data, byte[] buffer)
    {
        Span<byte> transactionId = stackalloc byte[12];
        System.Security.Cryptography.RandomNumberGenerator.Fill(transactionId);
        var writer = new StunMessageWriter(buffer, TurnMessageType.SendIndication, transactionId);
        writer.AddXorAddress(TurnAttributeType.XorPeerAddress, peer.Address, peer.Port);
        writer.AddAttribute(TurnAttributeType.Data, data);
        Interlocked.Increment(ref _toPeers);
        SendToServer(writer.WrittenSpan);
    }

    /// <summary>
    /// One peer's local stand-in: a UDP socket on <c>deliverTo</c>'s address. What the peer sent through the relay is
    /// sent from it to <c>deliverTo</c>; what arrives on it from <c>deliverTo</c> goes to the peer in a Send indication.
    /// </summary>
    private sealed class PeerProxy : IAsyncDisposable
    {
        private readonly TurnClient _owner;
        private readonly IPEndPoint _peer;
        private readonly Socket _socket;
        private readonly SocketAddress _target;
        private readonly byte[] _receive = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        private readonly byte[] _send = ArrayPool<byte>.Shared.Rent(MaxDatagram + 64);
        private readonly Task _loop;

        public PeerProxy(TurnClient owner, IPEndPoint peer, IPEndPoint target)
        {
            _owner = owner;
            _peer = peer;
            _target = target.Serialize();
            _socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
            _socket.Bind(new IPEndPoint(target.Address, 0));
            _loop = Task.Run(() => LoopAsync(owner._stop.Token));
        }

        public void Deliver(ReadOnlySpan<byte> data)
        {
            try
            {
                _socket.SendTo(data, SocketFlags.None, _target);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // UDP: a full buffer or a closed proxy drops the datagram, as the network would.
            }
        }

        private async Task LoopAsync(CancellationToken stopping)
        {
            var from = new SocketAddress(_socket.AddressFamily);
            while (!stopping.IsCancellationRequested)
            {
                int length;
                try
                {
                    length = await _socket.ReceiveFromAsync(_receive, SocketFlags.None, from, stopping).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    continue;
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
                if (!from.Equals(_target) || length > MaxDatagram) continue;
                _owner.SendToPeer(_peer, _receive.AsSpan(0, length), _send);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _socket.Dispose();
            try
            {
                // The loop may still be reading into _receive: the buffers go back to the pool only once it has ended.
                await _loop.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
            ArrayPool<byte>.Shared.Return(_receive);
            ArrayPool<byte>.Shared.Return(_send);
        }
    }

    /// <summary>Ends the allocation (Refresh with LIFETIME 0, best effort) and closes every socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_key is not null && RelayedAddress.Port != 0)
        {
            try
            {
                using var bye = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
                await RefreshAsync(0, bye.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TurnException or OperationCanceledException or TimeoutException)
            {
                // The allocation then lapses at its lifetime.
            }
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        foreach (var proxy in _proxies.Values) await proxy.DisposeAsync().ConfigureAwait(false);
        _proxies.Clear();
        try
        {
            await Task.WhenAll(_receiving, _refreshing).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}

/// <summary>A TURN server refused, or did not answer; the message names the server and the reason.</summary>
public sealed class TurnException(string message) : Exception(message);
