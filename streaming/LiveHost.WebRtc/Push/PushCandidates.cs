using System.Net;
using System.Net.Sockets;
using LiveHost.WebRtc.Ice;
using LiveHost.WebRtc.Sdp;
using LiveHost.WebRtc.Transport;

namespace LiveHost.WebRtc.Push;

/// <summary>
/// The candidates one WHIP push attempt offers beside its host candidate, and the TURN allocations behind its relay
/// candidates (released on dispose). Gathering never fails the attempt: a server that refuses or is silent is left out
/// and said in <see cref="Problems"/>, so the host path (and any other server) still gets its chance; when the session
/// then does not connect, those problems are the likely reason and go into the output's last error.
/// </summary>
public sealed class PushCandidates : IAsyncDisposable
{
    private readonly List<TurnClient> _relays = [];
    private readonly List<SdpCandidate> _candidates = [];
    private readonly List<string> _problems = [];
    private Func<string, CancellationToken, Task<IPAddress[]>> _resolve = Dns.GetHostAddressesAsync;

    public IReadOnlyList<SdpCandidate> Candidates => _candidates;

    /// <summary>What went wrong per server, e.g. "TURN server turn:127.0.0.1:3478 (...) refused the credentials of user 'x' (401 Unauthorized)".</summary>
    public IReadOnlyList<string> Problems => _problems;

    public IReadOnlyList<TurnClient> Relays => _relays;

    /// <summary>
    /// Asks every server at once: a STUN Binding from the shared port for each stun: URL (a server-reflexive candidate
    /// unless it equals the host candidate), a TURN allocation for each turn: URL (a relay candidate whose peers' datagrams
    /// are handed to the shared port).
    /// </summary>
    public static async Task<PushCandidates> GatherAsync(IReadOnlyList<IceServerOptions> servers, UdpMux mux, IPEndPoint host, TimeSpan timeout,
        TimeProvider time, Func<string, CancellationToken, Task<IPAddress[]>>? resolve, CancellationToken cancellationToken)
    {
        var gathered = new PushCandidates { _resolve = resolve ?? Dns.GetHostAddressesAsync };
        var local = mux.LocalEndPoint;
        var deliverTo = new IPEndPoint(
            local.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : local.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : local.Address, local.Port);
        var work = new List<Task>();
        foreach (var server in servers)
        {
            foreach (var url in server.Parsed())
            {
                work.Add(url.IsTurn
                    ? gathered.AllocateAsync(url, server.Username ?? "", server.Credential ?? "", deliverTo, timeout, time, cancellationToken)
                    : gathered.BindAsync(url, mux, host, timeout, time, cancellationToken));
            }
        }
        try
        {
            await Task.WhenAll(work).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await gathered.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return gathered;
    }

    private async Task BindAsync(IceServerUrl url, UdpMux mux, IPEndPoint host, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            var server = await ResolveAsync(url, mux.LocalEndPoint.AddressFamily, cancellationToken).ConfigureAwait(false);
            var mapped = await new MuxStunBinding(mux, server).RunAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            // RFC 8445 §5.1.3: a server-reflexive candidate equal to the host candidate is redundant.
            if (mapped.Equals(host)) return;
            lock (_candidates) _candidates.Add(new SdpCandidate("srflx", mapped.Address, mapped.Port, host.Address, host.Port));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or SocketException or ArgumentException)
        {
            lock (_candidates) _problems.Add($"STUN server {url}: {e.Message}");
        }
    }

    private async Task AllocateAsync(IceServerUrl url, string username, string credential, IPEndPoint deliverTo, TimeSpan timeout, TimeProvider time,
        CancellationToken cancellationToken)
    {
        try
        {
            var server = await ResolveAsync(url, deliverTo.AddressFamily, cancellationToken).ConfigureAwait(false);
            var relay = await TurnClient.AllocateAsync(url, server, username, credential, deliverTo, timeout, time, cancellationToken).ConfigureAwait(false);
            lock (_candidates)
            {
                _relays.Add(relay);
                _candidates.Add(new SdpCandidate("relay", relay.RelayedAddress.Address, relay.RelayedAddress.Port, relay.MappedAddress.Address, relay.MappedAddress.Port));
            }
        }
        catch (Exception e) when (e is TurnException or SocketException or ArgumentException)
        {
            lock (_candidates) _problems.Add(e is TurnException ? e.Message : $"TURN server {url}: {e.Message}");
        }
    }

    private async Task<IPEndPoint> ResolveAsync(IceServerUrl url, AddressFamily family, CancellationToken cancellationToken)
    {
        var addresses = await _resolve(url.Host, cancellationToken).ConfigureAwait(false);
        var address = addresses.FirstOrDefault(a => a.AddressFamily == family) ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
        return new IPEndPoint(address, url.Port);
    }

    /// <summary>
    /// Lets the answer's candidates send through every relay (CreatePermission). A relay that refuses is dropped from
    /// use and its reason added to <see cref="Problems"/>.
    /// </summary>
    public async Task PermitAsync(IReadOnlyList<IPAddress> peers, CancellationToken cancellationToken)
    {
        foreach (var relay in _relays)
        {
            try
            {
                await relay.CreatePermissionAsync(peers, cancellationToken).ConfigureAwait(false);
            }
            catch (TurnException e)
            {
                lock (_candidates) _problems.Add(e.Message);
            }
        }
    }

    /// <summary>Datagrams that went to and came from the peer through the relays, for the output's state and tests.</summary>
    public (long ToPeers, long FromPeers) Relayed => (_relays.Sum(r => r.DatagramsToPeers), _relays.Sum(r => r.DatagramsFromPeers));

    public async ValueTask DisposeAsync()
    {
        foreach (var relay in _relays) await relay.DisposeAsync().ConfigureAwait(false);
    }
}
