using System.Security.Cryptography;
using LiveHost.Media;
using LiveHost.WebRtc.Rtp;
using LiveHost.WebRtc.Rtp.H264;
using LiveHost.WebRtc.Rtp.Opus;
using LiveHost.WebRtc.Rtp.Timing;
using Microsoft.Extensions.Logging;

namespace LiveHost.WebRtc.Rooms;

/// <summary>
/// A room's WebRTC media, made once for all its viewers: a plain subscriber of the room's encoder, like the RTMP output.
/// Its H.264 (RFC 6184) and Opus (RFC 7587) frames are packetized as plaintext RTP into rings that every viewer reads
/// and encrypts for itself. Two writer loops (video, audio), each with its own subscription and the only writer of its
/// ring; viewers are only nudged.
/// <para>
/// Timing comes from the frames alone: a packet's RTP timestamp is its frame's pts on the track's clock plus the
/// track's random base (<see cref="RtpStreamClock"/>), and sender reports place "now" on both clocks from the newest
/// Opus frame's pts and source timestamp (<see cref="RtpSyncAnchor"/>, one for both tracks, which is what lip sync
/// in the browser rests on).
/// </para>
/// </summary>
public sealed partial class WebRtcRoomStream : IAsyncDisposable, IRoomPacketSource
{
    /// <summary>Payload types in the ring; each viewer rewrites the byte to what its browser offered.</summary>
    public const byte RingVideoPayloadType = 96;
    public const byte RingAudioPayloadType = 111;

    /// <summary>
    /// How long a tick's first Opus packet (the one pacing does not hold) waits for the tick's video frame to carry it
    /// to the viewers. The frame follows within the video encode time (a few ms); past this the packet goes alone.
    /// </summary>
    public static readonly TimeSpan AudioWaitForVideo = TimeSpan.FromMilliseconds(15);

    private readonly MediaBroadcaster _source;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RtpOutboundStream _videoStream;
    private readonly RtpOutboundStream _audioStream;
    private readonly H264Packetizer _packetizer;
    private readonly OpusPacketizer _opusPacketizer;
    private readonly CancellationTokenSource _stop = new();
    private volatile IRoomViewer[] _viewers = [];
    private readonly Lock _viewersGate = new();
    private IDisposable? _demand;
    private Task? _videoLoop;
    private Task? _audioLoop;
    private volatile RtpSyncAnchor? _anchor;
    private readonly AudioPacer? _audioPacer;
    private readonly bool _sendAudioWithVideo;
    private readonly LateAudioFilter? _lateAudio;
    private long _audioDroppedLate;
    private int _audioAwaitingVideo;
    private long _audioCarriedAt;
    private long _keyframeRequests;
    private long _viewerPacketsDropped;

    /// <param name="time">The clock the encoder's frame timestamps are on (the system's in production, which is the Stopwatch).</param>
    public WebRtcRoomStream(string room, MediaBroadcaster source, Action requestKeyframe, WebRtcOptions options, ILogger logger, TimeProvider? time = null)
    {
        Room = room;
        _source = source;
        RequestKeyframeAction = requestKeyframe;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        VideoSsrc = RandomSsrc();
        AudioSsrc = RandomSsrc();
        CName = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        VideoClock = RtpStreamClock.ForVideo(RtpStreamClock.RandomInitialTimestamp());
        AudioClock = RtpStreamClock.ForAudio(RtpStreamClock.RandomInitialTimestamp());
        var slot = H264PacketizerOptions.DefaultMaxPacketSize + RtpPacketRing.SrtpTrailerReserve + 16;
        Video = new RtpPacketRing(options.RoomRingPackets, slot);
        Audio = new RtpPacketRing(options.RoomRingPackets, slot);
        _videoStream = new RtpOutboundStream(VideoSsrc, RingVideoPayloadType, (ushort)RandomNumberGenerator.GetInt32(65536));
        _audioStream = new RtpOutboundStream(AudioSsrc, RingAudioPayloadType, (ushort)RandomNumberGenerator.GetInt32(65536));
        _packetizer = new H264Packetizer(_videoStream);
        _opusPacketizer = new OpusPacketizer(_audioStream);
        _audioPacer = options.PaceAudio ? new AudioPacer() : null;
        _sendAudioWithVideo = options.SendAudioWithVideo;
        _lateAudio = options.DropAudioLateMilliseconds > 0 ? new LateAudioFilter(TimeSpan.FromMilliseconds(options.DropAudioLateMilliseconds)) : null;
    }

    public string Room { get; }
    public uint VideoSsrc { get; }
    public uint AudioSsrc { get; }
    public string CName { get; }
    public RtpStreamClock VideoClock { get; }
    public RtpStreamClock AudioClock { get; }
    public uint VideoTimestampBase => VideoClock.InitialTimestamp;
    public uint AudioTimestampBase => AudioClock.InitialTimestamp;
    public RtpPacketRing Video { get; }
    public RtpPacketRing Audio { get; }
    public MediaFormat Format => _source.Format;
    public int ViewerCount => _viewers.Length;
    public long VideoPackets => _videoStream.PacketCount;
    public long VideoOctets => _videoStream.OctetCount;
    public long AudioPackets => _audioStream.PacketCount;
    public long AudioOctets => _audioStream.OctetCount;
    public long KeyframeRequests => Interlocked.Read(ref _keyframeRequests);


    /// <summary>Packets any viewer of this room skipped (fell behind its queue, or its send failed), past and present viewers.</summary>
    public long ViewerPacketsDropped => Interlocked.Read(ref _viewerPacketsDropped);

    public void CountViewerDrops(long packets) => Interlocked.Add(ref _viewerPacketsDropped, packets);

    public bool CanReportTime => _anchor is not null;

    /// <summary>Opus packets not sent because a stall made them later than <c>WebRtc:DropAudioLateMilliseconds</c>.</summary>
    public long AudioPacketsDroppedLate => Interlocked.Read(ref _audioDroppedLate);

    /// <summary>True while the tick's first Opus packet is in the ring, waiting for the tick's video frame to carry it.</summary>
    public bool AudioAwaitingVideo => Volatile.Read(ref _audioAwaitingVideo) == 1;
    private Action RequestKeyframeAction { get; }

    public void Start()
    {
        _videoLoop = Task.Run(() => VideoLoopAsync(_stop.Token));
        _audioLoop = Task.Run(() => AudioLoopAsync(_stop.Token));
    }

    /// <summary>A viewer lost a picture (PLI/FIR) or just joined.</summary>
    public void RequestKeyframe()
    {
        Interlocked.Increment(ref _keyframeRequests);
        RequestKeyframeAction();
    }

    /// <summary>Adds a viewer; the first one makes the room encode (<see cref="MediaBroadcaster.HoldDemand"/>).</summary>
    public void AddViewer(IRoomViewer viewer)
    {
        lock (_viewersGate)
        {
            _viewers = [.. _viewers, viewer];
            _demand ??= _source.HoldDemand();
        }
    }

    /// <summary>Removes a viewer; with the last one gone the room stops encoding unless an output wants it.</summary>
    public void RemoveViewer(IRoomViewer viewer)
    {
        lock (_viewersGate)
        {
            _viewers = _viewers.Where(v => v != viewer).ToArray();
            if (_viewers.Length > 0 || _demand is null) return;
            _demand.Dispose();
            _demand = null;
            // Nothing more will be coded for nobody: the next viewer must not start from the picture left in the ring.
            if (!_source.HasDemand) Video.ForgetKeyframe();
        }
    }

    /// <summary>Sender-report times for now: the same media instant expressed on each track's RTP clock.</summary>
    public (uint Video, uint Audio) RtpTimestampsNow()
    {
        if (_anchor is not { } anchor) return (VideoTimestampBase, AudioTimestampBase);
        var now = _time.GetUtcNow();
        return (VideoClock.SenderReportTimes(anchor, now).RtpTimestamp, AudioClock.SenderReportTimes(anchor, now).RtpTimestamp);
    }

    private async Task VideoLoopAsync(CancellationToken cancellationToken)
    {
        // Passive: viewers, not this subscription, make the room encode (AddViewer).
        using var subscription = _source.Subscribe("webrtc:" + Room, capacity: 64, MediaCodec.H264, passive: true);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var frame = await subscription.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (!_packetizer.HasParameterSets)
                {
                    if (_source.VideoConfig is not { } config) continue;
                    _packetizer.SetParameterSets(config);
                }
                if (frame.IsKeyframe) Video.MarkNextAsKeyframeStart();
                var packetized = _packetizer.TryPacketize(frame, VideoClock.FromPts90k(frame.Pts90k), Video, out _);
                if (frame.IsKeyframe) Video.CompleteKeyframe();
                if (!packetized) continue;
                // The nudge below also carries an Opus packet waiting for this frame: its viewers send both in one pass.
                if (Interlocked.Exchange(ref _audioAwaitingVideo, 0) == 1) Interlocked.Exchange(ref _audioCarriedAt, _time.GetTimestamp());
                Nudge();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogLoopFailed(Room, "video", ex);
        }
    }

    private async Task AudioLoopAsync(CancellationToken cancellationToken)
    {
        // 64 Opus frames are 1.28 s of slack before the oldest is dropped (and counted); the encoder never waits.
        using var subscription = _source.Subscribe("webrtc-audio:" + Room, capacity: 64, MediaCodec.Opus, passive: true);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var frame = await subscription.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (_lateAudio?.IsLate(frame.SourceTimestamp, _time.GetTimestamp(), _time.TimestampFrequency) == true)
                {
                    Interlocked.Increment(ref _audioDroppedLate);
                    continue;
                }
                var held = false;
                if (_audioPacer?.Hold(frame.Pts90k, _time.GetTimestamp(), _time.TimestampFrequency) is { } hold && hold > TimeSpan.Zero)
                {
                    held = true;
                    await Task.Delay(hold, _time, cancellationToken).ConfigureAwait(false);
                }
                // The instant this frame's first sample had on the engine's clock, as a wall-clock time: sender reports
                // place "now" on both tracks' clocks from it.
                _anchor = new RtpSyncAnchor(_time.GetUtcNow() - _time.GetElapsedTime(frame.SourceTimestamp), frame.Pts90k);
                if (!_opusPacketizer.TryPacketize(frame.Data.Span, AudioClock.FromPts90k(frame.Pts90k), Audio)) continue;
                if (_audioPacer is { } pacer && _sendAudioWithVideo && !held && subscription.QueuedFrames <= 1)
                {
                    await SendWithNextVideoFrameAsync(pacer, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                Nudge();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogLoopFailed(Room, "audio", ex);
        }
    }

    /// <summary>
    /// Lets the tick's video frame carry the Opus packet just written: every viewer is woken once for both and sends
    /// them in one batch, instead of once for the packet and again a few ms later for the frame (with pacing a viewer
    /// is woken 50 times a second, not 75). Goes alone after <see cref="AudioWaitForVideo"/> (no frame, a slow encode).
    /// Pacing counts the next packet's 20 ms from when this one really went, so the spacing the browser sees stays
    /// 20 ms. Not when more than the tick's other packet is queued: a backlog drains as fast as pacing lets it.
    /// </summary>
    private async Task SendWithNextVideoFrameAsync(AudioPacer pacer, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _audioAwaitingVideo, 1);
        await Task.Delay(AudioWaitForVideo, _time, cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _audioAwaitingVideo, 0) == 1)
        {
            pacer.Released(_time.GetTimestamp());
            Nudge();
            return;
        }
        pacer.Released(Interlocked.Read(ref _audioCarriedAt));
    }

    private void Nudge()
    {
        foreach (var viewer in _viewers) viewer.PacketsAvailable();
    }

    private static uint RandomSsrc() => (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var loop in new[] { _videoLoop, _audioLoop })
        {
            if (loop is not null) await loop.ConfigureAwait(false);
        }
        lock (_viewersGate)
        {
            _demand?.Dispose();
            _demand = null;
        }
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "WebRTC {Track} loop of room {Room} failed")]
    private partial void LogLoopFailed(string room, string track, Exception exception);
}
