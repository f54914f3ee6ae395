using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveHost.WebRtc.Dtls;
using LiveHost.WebRtc.Ice;
using Org.BouncyCastle.Tls;

namespace LiveHost.Perf.WebRtc.Janus;

/// <summary>
/// A managed viewer of Janus's streaming plugin, the counterpart of LiveHost's WHEP viewer: over Janus's HTTP API it
/// creates a session, attaches the streaming plugin and asks to <c>watch</c> the mountpoint; Janus offers, this viewer
/// answers as an ICE-lite, DTLS-active (client) peer on one UDP socket on the address Janus offers (this machine's own). Janus (a full ICE agent) checks and
/// nominates; this viewer answers the checks (<see cref="IceLiteAgent"/>), runs the DTLS-SRTP handshake as a client
/// (BouncyCastle, the DTLS tests' Chromium stand-in) and from then on counts the SRTP datagrams Janus sends (not decrypted:
/// only Janus's cost is measured). One receive thread per viewer.
/// </summary>
public sealed partial class JanusViewer : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate(TimeProvider.System);
    private readonly BlockingCollection<byte[]> _dtlsIn = new(256);
    private readonly TaskCompletionSource _firstMedia = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _nominated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _ufrag = "jv" + Guid.NewGuid().ToString("N")[..6];
    private readonly string _password = Guid.NewGuid().ToString("N");
    private readonly Thread _receiver;
    private IceLiteAgent? _agent;
    private volatile IPEndPoint? _janus;
    private volatile bool _stopping;
    private long _session;
    private long _media;
    private volatile string _stage = "create";
    private IPAddress _address = IPAddress.Loopback;

    private JanusViewer(HttpClient http)
    {
        _http = http;
        _socket.ReceiveBufferSize = 1024 * 1024;
        _socket.ReceiveTimeout = 200;
        _receiver = new Thread(Receive) { IsBackground = true, Name = "janus-viewer" };
    }

    /// <summary>SRTP datagrams received from Janus.</summary>
    public long MediaPackets => Interlocked.Read(ref _media);

    /// <summary>Watches the mountpoint; returns once the first media packet has arrived.</summary>
    public static async Task<JanusViewer> ConnectAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var viewer = new JanusViewer(http);
        try
        {
            await viewer.WatchAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
            return viewer;
        }
        catch (TimeoutException)
        {
            await viewer.DisposeAsync();
            throw new TimeoutException($"a Janus viewer did not get media within {timeout.TotalSeconds} s (stuck at: {viewer._stage})");
        }
        catch
        {
            await viewer.DisposeAsync();
            throw;
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        _session = (await PostAsync("", new { janus = "create" }, cancellationToken)).GetProperty("data").GetProperty("id").GetInt64();
        var handle = (await PostAsync($"/{_session}", new { janus = "attach", plugin = "janus.plugin.streaming" }, cancellationToken))
            .GetProperty("data").GetProperty("id").GetInt64();
        await PostAsync($"/{_session}/{handle}", new { janus = "message", body = new { request = "watch", id = JanusServer.MountpointId } }, cancellationToken);
        _stage = "waiting for the offer";
        var offer = await NextOfferAsync(cancellationToken);

        // Janus gathers no loopback candidate: this viewer sits on the address Janus offered (this machine's own).
        _address = IPAddress.Parse(Regex.Match(offer, @"a=candidate:\S+ 1 udp \d+ (\d+\.\d+\.\d+\.\d+) \d+ typ host").Groups[1].Value);
        _socket.Bind(new IPEndPoint(_address, 0));
        _agent = new IceLiteAgent(new IceCredentials(_ufrag, _password),
            new IceCredentials(Attribute(offer, "ice-ufrag"), Attribute(offer, "ice-pwd")), TimeProvider.System);
        _receiver.Start();
        await PostAsync($"/{_session}/{handle}", new { janus = "message", body = new { request = "start" }, jsep = new { type = "answer", sdp = Answer(offer) } },
            cancellationToken);
        // The answer carried every candidate there is.
        await PostAsync($"/{_session}/{handle}", new { janus = "trickle", candidate = new { completed = true } }, cancellationToken);
        _stage = "answered; waiting for Janus's ICE checks";
        await _nominated.Task.WaitAsync(cancellationToken);
        _stage = "DTLS handshake";
        var client = new LiveHost.WebRtc.Dtls.Tests.TestDtlsClient(_certificate, [SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM, SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80]);
        await Task.Run(() => new DtlsClientProtocol().Connect(client, new Transport(this)), cancellationToken);
        _stage = "connected; waiting for media";
        await _firstMedia.Task.WaitAsync(cancellationToken);
    }

    private async Task<string> NextOfferAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            using var poll = await _http.GetAsync(new Uri($"{_http.BaseAddress}/{_session}?maxev=1"), cancellationToken);
            var events = await poll.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            foreach (var e in events.ValueKind == JsonValueKind.Array ? events.EnumerateArray().ToArray() : [events])
            {
                if (e.TryGetProperty("jsep", out var jsep)) return jsep.GetProperty("sdp").GetString()!;
            }
        }
    }

    private async Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToElement(body);
        var message = json.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        message["transaction"] = Guid.NewGuid().ToString("N");
        using var response = await _http.PostAsJsonAsync(new Uri(_http.BaseAddress + path), message, cancellationToken);
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var kind = reply.GetProperty("janus").GetString();
        if (kind is not ("success" or "ack")) throw new InvalidOperationException($"janus refused {path}: {reply}");
        return reply;
    }

    /// <summary>Our answer: receive-only Opus and H.264, ICE-lite with one loopback host candidate, DTLS client.</summary>
    private string Answer(string offer)
    {
        var port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        var fingerprint = "a=fingerprint:" + _certificate.Fingerprint;
        string Section(string kind, string mid, string format) => $"""
            m={kind} 9 UDP/TLS/RTP/SAVPF {format}
            c=IN IP4 {_address}
            a=recvonly
            a=mid:{mid}
            a=rtcp-mux
            a=ice-ufrag:{_ufrag}
            a=ice-pwd:{_password}
            {fingerprint}
            a=setup:active
            """;
        var audio = Section("audio", "a", "111") + "\na=rtpmap:111 opus/48000/2";
        var video = Section("video", "v", "96") + "\na=rtpmap:96 H264/90000\na=fmtp:96 profile-level-id=42e01f;packetization-mode=1\na=rtcp-fb:96 nack\na=rtcp-fb:96 nack pli";
        var candidate = $"\na=candidate:1 1 udp 2130706431 {_address} {port} typ host\na=end-of-candidates";
        var sdp = $"v=0\no=- {Environment.TickCount64} 1 IN IP4 {_address}\ns=-\nt=0 0\na=group:BUNDLE a v\na=ice-lite\n" + audio + candidate + "\n" + video + candidate + "\n";
        _ = offer;
        return sdp.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
    }

    private static string Attribute(string sdp, string name) =>
        Regex.Match(sdp, "a=" + name + ":(\\S+)").Groups[1].Value is { Length: > 0 } value ? value : throw new InvalidOperationException($"janus's offer has no a={name}");

    private void Receive()
    {
        var buffer = new byte[2048];
        var response = new byte[256];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_stopping)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException)
            {
                continue; // the timeout, so that a stop is seen
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            if (length == 0) continue;
            var first = buffer[0];
            if (first < 4)
            {
                var remote = (IPEndPoint)from;
                var result = _agent!.Handle(buffer.AsSpan(0, length), remote, response, out var responseLength);
                if (responseLength > 0) _socket.SendTo(response.AsSpan(0, responseLength), SocketFlags.None, remote);
                if (result is IceResult.Nominated or IceResult.Validated && _agent.SelectedRemote is { } selected)
                {
                    _janus = selected;
                    _nominated.TrySetResult();
                }
            }
            else if (first is >= 20 and < 64)
            {
                _dtlsIn.TryAdd(buffer.AsSpan(0, length).ToArray());
            }
            else if (first is >= 128 and < 192)
            {
                // RTP (payload types 96-127 and 0-34 after the marker bit); RTCP (200-206) counted apart by Janus's own reports.
                if (buffer[1] is < 192 or > 223)
                {
                    Interlocked.Increment(ref _media);
                    _firstMedia.TrySetResult();
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (_session != 0)
        {
            try
            {
                await PostAsync($"/{_session}", new { janus = "destroy" }, CancellationToken.None);
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                // Janus is going away anyway.
            }
        }
        if (_receiver.IsAlive) _receiver.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
        _dtlsIn.Dispose();
    }

    /// <summary>The DTLS records the receive thread set aside, as BouncyCastle's transport.</summary>
    private sealed class Transport(JanusViewer viewer) : DatagramTransport
    {
        public int GetReceiveLimit() => 1500;

        public int GetSendLimit() => 1200;

        public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

        public int Receive(Span<byte> buffer, int waitMillis)
        {
            if (!viewer._dtlsIn.TryTake(out var datagram, waitMillis)) return -1;
            var length = Math.Min(datagram.Length, buffer.Length);
            datagram.AsSpan(0, length).CopyTo(buffer);
            return length;
        }

        public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

        public void Send(ReadOnlySpan<byte> buffer) => viewer._socket.SendTo(buffer, SocketFlags.None, viewer._janus!);

        public void Close()
        {
        }
    }
}
