using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using LiveHost.WebRtc.Dtls;
using LiveHost.WebRtc.Ice;
using LiveHost.WebRtc.Srtp;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// A WebRTC viewer without a browser, for tests that must send what a browser sends only when it decides to (PLI,
/// FIR): it posts Chromium's captured offer with its own ICE credentials and certificate fingerprint, runs ICE
/// connectivity checks, a BouncyCastle DTLS 1.2 client offering use_srtp, then decrypts the room's SRTP and sends
/// SRTCP. It notes video packets that start an H.264 IDR picture; asked to (<c>recordMedia</c>), it also keeps the
/// room's Opus audio and H.264 packets, for tests that check what a viewer of one room gets (<see cref="DecodedAudio"/>,
/// <see cref="LastKeyframeAnnexB"/>).
/// </summary>
public sealed partial class ManagedViewer : IAsyncDisposable
{
    private static readonly string ChromeOffer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "chrome-156-recvonly-offer.sdp"));

    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate(TimeProvider.System);
    private readonly BlockingCollection<byte[]> _dtlsIn = new(256);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _localUfrag = "mv" + Guid.NewGuid().ToString("N")[..6];
    private readonly string _localPassword = Guid.NewGuid().ToString("N");
    private readonly ConcurrentQueue<long> _idrStarts = new();
    private readonly ConcurrentDictionary<uint, bool> _idrTimestamps = new();
    private readonly ConcurrentQueue<uint> _idrPictures = new();
    private readonly ConcurrentQueue<byte[]> _audioPayloads = new();
    private readonly ConcurrentQueue<byte[]> _videoRtp = new();
    private readonly bool _recordMedia;
    private readonly CountTarget _audioTarget = new();
    private readonly CountTarget _keyframeTarget = new();
    private int _audioPayloadType = -1;
    private IPEndPoint _server = null!;
    private string _serverUfrag = "";
    private byte[] _serverPassword = [];
    private int _videoPayloadType;
    private uint _videoSsrc;
    private SrtpContext? _srtpIn;
    private SrtpContext? _srtpOut;
    private Task _receiving = Task.CompletedTask;
    private Task _checking = Task.CompletedTask;
    private long _videoPackets;

    private const uint OwnSsrc = 0x5EED_0001;

    /// <summary>The loopback UDP port this viewer sends from (the session's remote port on the server).</summary>
    public int LocalPort => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    /// <summary>Video RTP packets received and decrypted so far.</summary>
    public long VideoPackets => Interlocked.Read(ref _videoPackets);

    /// <summary>IDR pictures seen, told apart by RTP timestamp (one picture may come in several slices).</summary>
    public int IdrPictures => _idrTimestamps.Count;

    /// <summary>The RTP timestamps of the IDR pictures seen, in the order their first packet arrived.</summary>
    public IReadOnlyList<uint> IdrTimestamps => [.. _idrPictures];

    /// <summary>Stopwatch timestamps at which packets starting an IDR picture arrived.</summary>
    public IReadOnlyList<long> IdrArrivals => [.. _idrStarts];

    private ManagedViewer(bool recordMedia) => _recordMedia = recordMedia;

    public static async Task<ManagedViewer> ConnectAsync(HttpClient client, string room, bool recordMedia = false)
    {
        var viewer = new ManagedViewer(recordMedia);
        try
        {
            await viewer.NegotiateAsync(client, room);
            return viewer;
        }
        catch
        {
            await viewer.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends an RTCP Picture Loss Indication (RFC 4585 6.3.1) for the room's video, over SRTCP.</summary>
    public void SendPli()
    {
        var packet = new byte[12 + 32];
        packet[0] = 0x81; // V=2, FMT=1
        packet[1] = 206;  // PSFB
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 2);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), OwnSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), _videoSsrc);
        SendRtcp(packet, 12);
    }

    /// <summary>Sends an RTCP Full Intra Request (RFC 5104 4.3.1) for the room's video, over SRTCP.</summary>
    public void SendFir(byte sequence)
    {
        var packet = new byte[20 + 32];
        packet[0] = 0x84; // V=2, FMT=4
        packet[1] = 206;  // PSFB
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 4);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), OwnSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0); // media source unused in FIR
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), _videoSsrc);
        packet[16] = sequence;
        SendRtcp(packet, 20);
    }

    /// <summary>Waits for the first IDR start that arrives after <paramref name="since"/>; returns its arrival timestamp.</summary>
    public async Task<long> WaitForIdrAfterAsync(long since, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            foreach (var arrival in _idrStarts)
            {
                if (arrival > since) return arrival;
            }
            await Task.Delay(5);
        }
        throw new TimeoutException($"no IDR within {timeout.TotalMilliseconds} ms ({VideoPackets} video packets received)");
    }

    /// <summary>Waits until <paramref name="count"/> distinct IDR pictures have been seen.</summary>
    public async Task WaitForIdrPicturesAsync(int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (_idrPictures.Count < count)
        {
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"{_idrPictures.Count} of {count} IDR pictures within {timeout.TotalMilliseconds} ms");
            await Task.Delay(5);
        }
    }

    /// <summary>
    /// Completes once <paramref name="packets"/> audio packets were recorded and <paramref name="keyframes"/> whole
    /// keyframes have arrived (recordMedia only). The first keyframe may be the one the room encoded before this viewer
    /// came; the second was encoded after.
    /// </summary>
    public Task WaitForMediaAsync(int packets, int keyframes, TimeSpan timeout)
    {
        if (!_recordMedia) throw new InvalidOperationException("connect with recordMedia: true to record media");
        return Task.WhenAll(_audioTarget.WaitFor(packets), _keyframeTarget.WaitFor(keyframes)).WaitAsync(timeout);
    }

    /// <summary>The first <paramref name="packets"/> recorded Opus packets, decoded (48 kHz mono, as the room encodes it), in arrival order.</summary>
    public short[] DecodedAudio(int packets)
    {
        var decoder = Concentus.OpusCodecFactory.CreateDecoder(48_000, 1);
        var pcm = new List<short>();
        var frame = new short[5760];
        foreach (var payload in _audioPayloads.Take(packets))
        {
            var samples = decoder.Decode(payload, frame, frame.Length);
            pcm.AddRange(frame.AsSpan(0, samples));
        }
        return [.. pcm];
    }

    /// <summary>
    /// The last keyframe received whole (every packet of its access unit, in sequence), as an Annex B H.264 stream
    /// (SPS, PPS, IDR) that a decoder can show on its own; null if none arrived whole.
    /// </summary>
    public byte[]? LastKeyframeAnnexB()
    {
        var packets = _videoRtp.ToArray();
        foreach (var timestamp in _idrPictures.Reverse())
        {
            var unit = packets.Where(p => BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(4)) == timestamp).ToArray();
            if (unit.Length == 0 || (unit[^1][1] & 0x80) == 0) continue;
            var contiguous = unit.Zip(unit.Skip(1)).All(pair =>
                (ushort)(BinaryPrimitives.ReadUInt16BigEndian(pair.First.AsSpan(2)) + 1) == BinaryPrimitives.ReadUInt16BigEndian(pair.Second.AsSpan(2)));
            if (contiguous && ToAnnexB(unit) is { } annexB) return annexB;
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _dtlsIn.CompleteAdding();
        try
        {
            await Task.WhenAll(_receiving, _checking).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException or TimeoutException)
        {
        }
        _srtpIn?.Dispose();
        _srtpOut?.Dispose();
        _stop.Dispose();
    }

    private async Task NegotiateAsync(HttpClient client, string room)
    {
        var offer = ChromeOffer
            .Replace("a=ice-ufrag:CXkd", "a=ice-ufrag:" + _localUfrag, StringComparison.Ordinal)
            .Replace("a=ice-pwd:5nBJS8UY8H2k5mB/1fmDYq+k", "a=ice-pwd:" + _localPassword, StringComparison.Ordinal);
        offer = FingerprintLine().Replace(offer, "a=fingerprint:" + _certificate.Fingerprint);
        offer = string.Join("\r\n", offer.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !l.StartsWith('#'))) ;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/whep/" + room) { Content = new StringContent(offer, System.Text.Encoding.UTF8, "application/sdp") };
        using var response = await client.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"WHEP POST gave {(int)response.StatusCode}: {answer}");

        _serverUfrag = IceUfrag().Match(answer).Groups[1].Value;
        _serverPassword = System.Text.Encoding.UTF8.GetBytes(IcePassword().Match(answer).Groups[1].Value);
        var candidate = Candidate().Match(answer);
        _server = new IPEndPoint(IPAddress.Parse(candidate.Groups[1].Value), int.Parse(candidate.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        var video = answer[answer.IndexOf("m=video", StringComparison.Ordinal)..];
        video = video.Contains("m=audio", StringComparison.Ordinal) ? video[..video.IndexOf("m=audio", StringComparison.Ordinal)] : video;
        _videoPayloadType = int.Parse(H264RtpMap().Match(video).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        _videoSsrc = uint.Parse(Ssrc().Match(video).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (answer.IndexOf("m=audio", StringComparison.Ordinal) is >= 0 and var audioAt && OpusRtpMap().Match(answer[audioAt..]) is { Success: true } opus)
        {
            _audioPayloadType = int.Parse(opus.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        _receiving = Task.Run(ReceiveLoopAsync);
        SendBindingRequest();
        _checking = Task.Run(ConsentLoopAsync);

        var tls = new ViewerTlsClient(_certificate);
        await Task.Run(() => new DtlsClientProtocol().Connect(tls, new Transport(this)));
        var keys = DtlsSrtpKeys.FromExporterOutput(tls.Profile, tls.Exporter!, 0, false);
        var profile = (SrtpProfile)(ushort)keys.Profile;
        _srtpOut = new SrtpContext(profile, keys.ClientWriteMasterKey, keys.ClientWriteMasterSalt);
        Volatile.Write(ref _srtpIn, new SrtpContext(profile, keys.ServerWriteMasterKey, keys.ServerWriteMasterSalt));
    }

    private void SendRtcp(byte[] packet, int length)
    {
        var srtp = _srtpOut ?? throw new InvalidOperationException("not connected");
        lock (srtp)
        {
            var protectedLength = srtp.ProtectRtcp(packet, length);
            _udp.Send(packet, protectedLength, _server);
        }
    }

    private void SendBindingRequest()
    {
        Span<byte> buffer = stackalloc byte[256];
        Span<byte> transaction = stackalloc byte[12];
        Random.Shared.NextBytes(transaction);
        var writer = new StunMessageWriter(buffer, 0x0001, transaction);
        writer.AddUsername(System.Text.Encoding.UTF8.GetBytes(_serverUfrag + ":" + _localUfrag));
        writer.AddPriority(2_113_937_151);
        writer.AddIceControlling(0x1234_5678_9ABC_DEF0);
        writer.AddUseCandidate();
        writer.AddMessageIntegrity(_serverPassword);
        writer.AddFingerprint();
        _udp.Send(writer.WrittenSpan, _server);
    }

    private async Task ConsentLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (await timer.WaitForNextTickAsync(_stop.Token)) SendBindingRequest();
    }

    private async Task ReceiveLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var received = await _udp.ReceiveAsync(_stop.Token);
            var datagram = received.Buffer;
            if (datagram.Length == 0) continue;
            var first = datagram[0];
            if (first is >= 20 and <= 63)
            {
                _dtlsIn.TryAdd(datagram);
            }
            else if (first is >= 128 and <= 191 && datagram.Length > 12 && Volatile.Read(ref _srtpIn) is { } srtp)
            {
                var payloadType = datagram[1] & 0x7F;
                if (payloadType is >= 72 and <= 79) continue; // RTCP (sender reports) shares the port
                if (payloadType == _audioPayloadType && _recordMedia)
                {
                    if (srtp.TryUnprotectRtp(datagram, datagram.Length, out var audioLength)) RecordAudio(datagram.AsSpan(0, audioLength));
                    continue;
                }
                if (payloadType != _videoPayloadType || !srtp.TryUnprotectRtp(datagram, datagram.Length, out var plain)) continue;
                Interlocked.Increment(ref _videoPackets);
                var timestamp = BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(4));
                if (_recordMedia) _videoRtp.Enqueue(datagram.AsSpan(0, plain).ToArray());
                if (StartsIdr(datagram.AsSpan(0, plain)))
                {
                    _idrStarts.Enqueue(Stopwatch.GetTimestamp());
                    if (_idrTimestamps.TryAdd(timestamp, true)) _idrPictures.Enqueue(timestamp);
                }
                if (_recordMedia && (datagram[1] & 0x80) != 0 && _idrTimestamps.ContainsKey(timestamp)) _keyframeTarget.Increment();
            }
        }
    }

    private void RecordAudio(ReadOnlySpan<byte> rtp)
    {
        var offset = PayloadOffset(rtp);
        if (offset < 0 || offset >= rtp.Length) return;
        _audioPayloads.Enqueue(rtp[offset..].ToArray());
        _audioTarget.Increment();
    }

    /// <summary>A count the receive loop raises, and a wait for it to reach a target.</summary>
    private sealed class CountTarget
    {
        private readonly Lock _gate = new();
        private int _count;
        private (int Target, TaskCompletionSource Reached)? _waiter;

        public void Increment()
        {
            lock (_gate)
            {
                _count++;
                if (_waiter is { } w && _count >= w.Target) w.Reached.TrySetResult();
            }
        }

        public Task WaitFor(int target)
        {
            lock (_gate)
            {
                if (_count >= target) return Task.CompletedTask;
                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiter = (target, reached);
                return reached.Task;
            }
        }
    }

    /// <summary>One access unit's RTP packets (RFC 6184: single NAL units, STAP-A, FU-A) as Annex B NAL units; null if malformed.</summary>
    private static byte[]? ToAnnexB(byte[][] unit)
    {
        byte[] startCode = [0, 0, 0, 1];
        var stream = new List<byte>();
        foreach (var packet in unit)
        {
            var offset = PayloadOffset(packet);
            if (offset < 0 || offset + 2 > packet.Length) return null;
            var payload = packet.AsSpan(offset);
            switch (payload[0] & 0x1F)
            {
                case >= 1 and <= 23:
                    stream.AddRange(startCode);
                    stream.AddRange(payload);
                    break;
                case 24:
                    for (var at = 1; at + 2 <= payload.Length;)
                    {
                        var size = BinaryPrimitives.ReadUInt16BigEndian(payload[at..]);
                        if (size == 0 || at + 2 + size > payload.Length) return null;
                        stream.AddRange(startCode);
                        stream.AddRange(payload.Slice(at + 2, size));
                        at += 2 + size;
                    }
                    break;
                case 28:
                    if ((payload[1] & 0x80) != 0)
                    {
                        stream.AddRange(startCode);
                        stream.Add((byte)((payload[0] & 0xE0) | (payload[1] & 0x1F)));
                    }
                    stream.AddRange(payload[2..]);
                    break;
                default:
                    return null;
            }
        }
        return [.. stream];
    }

    /// <summary>Where an RTP packet's payload starts (after CSRCs and any header extension); -1 if it is cut short.</summary>
    private static int PayloadOffset(ReadOnlySpan<byte> rtp)
    {
        var offset = 12 + 4 * (rtp[0] & 0x0F);
        if ((rtp[0] & 0x10) != 0)
        {
            if (rtp.Length < offset + 4) return -1;
            offset += 4 + 4 * BinaryPrimitives.ReadUInt16BigEndian(rtp[(offset + 2)..]);
        }
        return offset <= rtp.Length ? offset : -1;
    }

    /// <summary>Whether an RTP packet (RFC 6184) carries the start of an IDR slice or the SPS that precedes one.</summary>
    private static bool StartsIdr(ReadOnlySpan<byte> rtp)
    {
        var offset = PayloadOffset(rtp);
        if (offset < 0 || rtp.Length <= offset + 1) return false;
        var payload = rtp[offset..];
        var type = payload[0] & 0x1F;
        switch (type)
        {
            case 5 or 7:
                return true;
            case 24: // STAP-A
                for (var at = 1; at + 2 < payload.Length;)
                {
                    var size = BinaryPrimitives.ReadUInt16BigEndian(payload[at..]);
                    if (size == 0 || at + 2 + size > payload.Length) return false;
                    if ((payload[at + 2] & 0x1F) is 5 or 7) return true;
                    at += 2 + size;
                }
                return false;
            case 28: // FU-A: the start fragment of an IDR slice
                return (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) == 5;
            default:
                return false;
        }
    }

    [GeneratedRegex(@"a=fingerprint:sha-256 [0-9A-F:]+")]
    private static partial Regex FingerprintLine();

    [GeneratedRegex(@"a=ice-ufrag:(\S+)")]
    private static partial Regex IceUfrag();

    [GeneratedRegex(@"a=ice-pwd:(\S+)")]
    private static partial Regex IcePassword();

    [GeneratedRegex(@"a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host")]
    private static partial Regex Candidate();

    [GeneratedRegex(@"a=rtpmap:(\d+) H264/90000")]
    private static partial Regex H264RtpMap();

    [GeneratedRegex(@"a=rtpmap:(\d+) opus/48000")]
    private static partial Regex OpusRtpMap();

    [GeneratedRegex(@"a=ssrc:(\d+) ")]
    private static partial Regex Ssrc();

    /// <summary>The DTLS records the receive loop set aside, as BouncyCastle's transport.</summary>
    private sealed class Transport(ManagedViewer viewer) : DatagramTransport
    {
        public int GetReceiveLimit() => 1500;

        public int GetSendLimit() => 1200;

        public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

        public int Receive(Span<byte> buffer, int waitMillis)
        {
            if (!viewer._dtlsIn.TryTake(out var datagram, waitMillis)) return -1;
            datagram.AsSpan(0, Math.Min(datagram.Length, buffer.Length)).CopyTo(buffer);
            return Math.Min(datagram.Length, buffer.Length);
        }

        public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

        public void Send(ReadOnlySpan<byte> buffer) => viewer._udp.Send(buffer, viewer._server);

        public void Close()
        {
        }
    }

    /// <summary>A DTLS 1.2 client with its own certificate that offers use_srtp as Chromium does and exports the SRTP keys.</summary>
    private sealed class ViewerTlsClient(DtlsCertificate certificate) : DefaultTlsClient(new BcTlsCrypto(new SecureRandom()))
    {
        private static readonly int[] Profiles = [SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM, SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80];

        public DtlsSrtpProfile Profile { get; private set; }

        public byte[]? Exporter { get; private set; }

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        public override IDictionary<int, byte[]> GetClientExtensions()
        {
            var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
            TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData(Profiles, TlsUtilities.EmptyBytes));
            return extensions;
        }

        public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
        {
            base.ProcessServerExtensions(serverExtensions);
            Profile = (DtlsSrtpProfile)TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions)!.ProtectionProfiles[0];
        }

        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            Exporter = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, DtlsSrtpKeys.ExporterLength(Profile));
        }

        public override TlsAuthentication GetAuthentication() => new Authentication(this);

        private sealed class Authentication(ViewerTlsClient client) : TlsAuthentication
        {
            public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
            {
            }

            public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest)
            {
                var crypto = (BcTlsCrypto)client.Crypto;
                return new BcDefaultTlsCredentialedSigner(
                    new TlsCryptoParameters(client.m_context), crypto, client.Certificate.PrivateKey,
                    new Certificate([crypto.CreateCertificate(client.Certificate.GetDer())]),
                    new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        }

        private DtlsCertificate Certificate => certificate;
    }
}
