using System.Net;

namespace LiveHost.WebRtc;

/// <summary>WebRTC egress settings, bound from <c>WebRtc</c>.</summary>
public sealed class WebRtcOptions
{
    public const string SectionName = "WebRtc";

    /// <summary>The one UDP port every viewer's media uses (0: any free port, fine for tests and single hosts).</summary>
    public int UdpPort { get; set; }

    /// <summary>Address the UDP socket binds to.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Address put in the SDP candidate, i.e. where browsers send to. Null: the bind address, or when that is a
    /// wildcard, the first non-loopback IPv4 address of this machine.
    /// </summary>
    public string? AnnouncedAddress { get; set; }

    /// <summary>Viewers one room may have; past it WHEP answers 503.</summary>
    public int MaxViewersPerRoom { get; set; } = 200;

    /// <summary>Viewers the whole server may have.</summary>
    public int MaxViewersTotal { get; set; } = 500;

    /// <summary>
    /// How far, in packets, a viewer may fall behind the room before it is cut forward to live (its bounded queue).
    /// 256 packets are 1 to 2 s of video at the default bitrate. The newest keyframe's packets are not counted, so a
    /// keyframe larger than the queue still reaches every viewer.
    /// </summary>
    public int ViewerQueuePackets { get; set; } = 256;

    /// <summary>Packets each room keeps for late readers and NACK retransmission (per track).</summary>
    public int RoomRingPackets { get; set; } = 2048;

    /// <summary>A viewer whose ICE consent checks stop is dropped after this long (RFC 7675 says 30 s).</summary>
    public double ConsentTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// A session not connected (ICE and DTLS done) this long after its WHEP POST is dropped; 1 to 10 s. Until then it
    /// is pending: it holds no thread, and counts against <see cref="MaxPendingPerAddress"/> and <see cref="MaxPendingTotal"/>.
    /// </summary>
    public double HandshakeTimeoutSeconds { get; set; } = 10;

    /// <summary>Pending (not yet connected) sessions one client address (an IPv6 /64) may have; past it WHEP answers 503.</summary>
    public int MaxPendingPerAddress { get; set; } = 10;

    /// <summary>Pending sessions the whole server may have; past it WHEP answers 503.</summary>
    public int MaxPendingTotal { get; set; } = 100;

    /// <summary>WHEP POSTs one client address may make at once (the token bucket's size); past it 429.</summary>
    public int WhepPostBurstPerAddress { get; set; } = 20;

    /// <summary>WHEP POSTs per minute a client address earns back after its burst.</summary>
    public double WhepPostsPerMinutePerAddress { get; set; } = 60;

    /// <summary>
    /// Drops this percentage of media packets after encryption, as a lossy network would, to exercise NACK
    /// retransmission and keyframe recovery in tests and drills. 0 (default) in production.
    /// </summary>
    public double SimulatedSendLossPercent { get; set; }

    /// <summary>When true, POST /whep needs a key with the viewer role (or higher).</summary>
    public bool RequireViewerKey { get; set; }

    /// <summary>
    /// STUN and TURN servers a WHIP push gathers its server-reflexive and relay candidates from (as RTCConfiguration's
    /// iceServers): <c>stun:host[:port]</c> and <c>turn:host[:port][?transport=udp]</c> with a username and credential.
    /// Empty (default): the offer carries the host candidate only. WHEP answers never use them (ICE-lite answerer).
    /// </summary>
    public List<IceServerOptions> IceServers { get; set; } = [];

    /// <summary>How long a WHIP push waits for each STUN/TURN server while gathering (1 to 10 s); one that does not answer is skipped.</summary>
    public double IceGatherTimeoutSeconds { get; set; } = 3;

    /// <summary>
    /// Send the playout-delay RTP header extension on video (when the browser offers it) with
    /// <see cref="PlayoutDelayMinMs"/> and <see cref="PlayoutDelayMaxMs"/>: the bounds on how long the browser holds a
    /// frame before showing it. False: the browser's jitter buffer sizes itself.
    /// </summary>
    public bool SendPlayoutDelay { get; set; } = true;

    /// <summary>Least playout delay, ms (a multiple of 10). 0: show a frame as soon as it is decoded.</summary>
    public int PlayoutDelayMinMs { get; set; }

    /// <summary>
    /// Most playout delay, ms (a multiple of 10, at least the minimum): how much smoothing or lip-sync delay the browser
    /// may add. 0 with a 0 minimum: Chromium renders each frame as soon as it is decoded (its zero-playout-delay mode).
    /// </summary>
    public int PlayoutDelayMaxMs { get; set; }

    /// <summary>
    /// Send each 20 ms Opus packet at its own time instead of a tick's packets in one burst (<c>Rooms.AudioPacer</c>):
    /// steadier arrivals keep the browser's audio jitter buffer smaller (measured in Chromium, issue 17: about 96 ms
    /// instead of 146 with the audio lead). Default true.
    /// </summary>
    public bool PaceAudio { get; set; } = true;

    /// <summary>
    /// With <see cref="PaceAudio"/>: the tick's first Opus packet waits (at most 15 ms) for the tick's video frame and
    /// each viewer sends both in one pass and one sendmmsg, so viewers are woken twice a tick instead of three times
    /// (fan-out CPU, issue 14). The second packet still leaves 20 ms after the first. Default true.
    /// </summary>
    public bool SendAudioWithVideo { get; set; } = true;

    /// <summary>
    /// An Opus packet released more than this many ms later than the stream's schedule (a stall of the process or the
    /// room's loop) is dropped rather than sent late in a burst, which would grow the browser's audio jitter buffer and
    /// leave the sound trailing the picture for good (<c>Rooms.LateAudioFilter</c>, issue 17). 0: never dropped.
    /// </summary>
    public int DropAudioLateMilliseconds { get; set; } = 120;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        for (var i = 0; i < IceServers.Count; i++)
        {
            foreach (var problem in IceServers[i].Validate()) errors.Add($"WebRtc:IceServers:{i}: {problem}");
        }
        if (IceGatherTimeoutSeconds is < 1 or > 10) errors.Add($"WebRtc:IceGatherTimeoutSeconds must be 1 to 10 (was {IceGatherTimeoutSeconds}).");
        if (UdpPort is < 0 or > 65535) errors.Add($"WebRtc:UdpPort must be 0 to 65535 (was {UdpPort}).");
        if (!IPAddress.TryParse(BindAddress, out _)) errors.Add($"WebRtc:BindAddress '{BindAddress}' is not an IP address.");
        if (AnnouncedAddress is not null && !IPAddress.TryParse(AnnouncedAddress, out _))
            errors.Add($"WebRtc:AnnouncedAddress '{AnnouncedAddress}' is not an IP address.");
        if (MaxViewersPerRoom < 1) errors.Add($"WebRtc:MaxViewersPerRoom must be at least 1 (was {MaxViewersPerRoom}).");
        if (MaxViewersTotal < 1) errors.Add($"WebRtc:MaxViewersTotal must be at least 1 (was {MaxViewersTotal}).");
        if (ViewerQueuePackets is < 16 or > 4096) errors.Add($"WebRtc:ViewerQueuePackets must be 16 to 4096 (was {ViewerQueuePackets}).");
        if (RoomRingPackets < 2 * ViewerQueuePackets || RoomRingPackets > 65536 || (RoomRingPackets & (RoomRingPackets - 1)) != 0)
            errors.Add($"WebRtc:RoomRingPackets must be a power of two, at least twice ViewerQueuePackets and at most 65536 (was {RoomRingPackets}).");
        if (ConsentTimeoutSeconds is < 1 or > 300) errors.Add($"WebRtc:ConsentTimeoutSeconds must be 1 to 300 (was {ConsentTimeoutSeconds}).");
        if (SimulatedSendLossPercent is < 0 or > 50) errors.Add($"WebRtc:SimulatedSendLossPercent must be 0 to 50 (was {SimulatedSendLossPercent}).");
        if (HandshakeTimeoutSeconds is < 1 or > 10) errors.Add($"WebRtc:HandshakeTimeoutSeconds must be 1 to 10 (was {HandshakeTimeoutSeconds}).");
        if (MaxPendingPerAddress < 1) errors.Add($"WebRtc:MaxPendingPerAddress must be at least 1 (was {MaxPendingPerAddress}).");
        if (MaxPendingTotal < 1) errors.Add($"WebRtc:MaxPendingTotal must be at least 1 (was {MaxPendingTotal}).");
        if (WhepPostBurstPerAddress < 1) errors.Add($"WebRtc:WhepPostBurstPerAddress must be at least 1 (was {WhepPostBurstPerAddress}).");
        if (WhepPostsPerMinutePerAddress is < 0.1 or > 100_000)
            errors.Add($"WebRtc:WhepPostsPerMinutePerAddress must be 0.1 to 100000 (was {WhepPostsPerMinutePerAddress}).");
        if (DropAudioLateMilliseconds is < 0 or > 10_000)
            errors.Add($"WebRtc:DropAudioLateMilliseconds must be 0 to 10000 (was {DropAudioLateMilliseconds}).");
        if (Rtp.Extensions.PlayoutDelay.Validate(PlayoutDelayMinMs, PlayoutDelayMaxMs) is { } playoutDelay)
            errors.Add($"WebRtc:PlayoutDelayMinMs/PlayoutDelayMaxMs: {playoutDelay}.");
        return errors;
    }
}
