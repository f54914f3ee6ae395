using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using LiveHost.Media;
using LiveHost.WebRtc.Rtp;
using LiveHost.WebRtc.Rtp.H264;
using LiveHost.WebRtc.Rtp.Opus;
using Microsoft.Extensions.Logging;

namespace LiveHost.WebRtc.Rooms;

/// <summary>
/// A room's WebRTC media, made once for all its viewers: the room's single H.264 encode packetized (RFC 6184) and
/// its audio encoded to Opus (RFC 7587), both written as plaintext RTP into rings that every viewer reads and
/// encrypts for itself. Two writer loops (video, audio), each the only writer of its ring; viewers are only nudged.
/// </summary>
public sealed partial class WebRtcRoomStream : IAsyncDisposable, IOpusFrameSink, IRoomPacketSource
{
    /// <summary>Payload types in the ring; each viewer rewrites the byte to what its browser offered.</summary>
    public const byte RingVideoPayloadType = 96;
    public const byte RingAudioPayloadType = 111;

    private readonly MediaBroadcaster _source;
    private readonly ILogger _logger;
    private readonly Channel<(long FrameIndex, short[] Samples, long Timestamp)> _audioIn;
    private readonly RtpOutboundStream _videoStream;
    private readonly RtpOutboundStream _audioStream;
    private readonly H264Packetizer _packetizer;
    private readonly OpusPacketizer _opusPacketizer;
    private readonly OpusEncoderStage _opus;
    private readonly CancellationTokenSource _stop = new();
    private volatile IRoomViewer[] _viewers = [];
    private readonly Lock _viewersGate = new();
    private IDisposable? _demand;
    private Task? _videoLoop;
    private Task? _audioLoop;
    private long _firstAudioSample = -1;
    private long _keyframeRequests;
    private long _audioTicksDropped;
    private long _viewerPacketsDropped;

    public WebRtcRoomStream(string room, MediaBroadcaster source, Action requestKeyframe, WebRtcOptions options, ILogger logger)
    {
        Room = room;
        _source = source;
        RequestKeyframeAction = requestKeyframe;
        _logger = logger;
        Clock = new RoomMediaClock(source.Format.FramesPerSecond);
        VideoSsrc = RandomSsrc();
        AudioSsrc = RandomSsrc();
        CName = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        VideoTimestampBase = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        AudioTimestampBase = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        var slot = H264PacketizerOptions.DefaultMaxPacketSize + RtpPacketArena.DefaultTrailerReserve + 16;
        Video = new RtpPacketRing(options.RoomRingPackets, slot);
        Audio = new RtpPacketRing(options.RoomRingPackets, slot);
        _videoStream = new RtpOutboundStream(VideoSsrc, RingVideoPayloadType, (ushort)RandomNumberGenerator.GetInt32(65536));
        _audioStream = new RtpOutboundStream(AudioSsrc, RingAudioPayloadType, (ushort)RandomNumberGenerator.GetInt32(65536));
        _packetizer = new H264Packetizer(_videoStream);
        _opusPacketizer = new OpusPacketizer(_audioStream);
        _opus = new OpusEncoderStage();
        // A tick is 40 ms: 50 ticks of slack before the oldest audio is dropped (and counted), never blocking the engine.
        _audioIn = Channel.CreateBounded<(long, short[], long)>(new BoundedChannelOptions(50)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, _ => Interlocked.Increment(ref _audioTicksDropped));
    }

    public string Room { get; }
    public uint VideoSsrc { get; }
    public uint AudioSsrc { get; }
    public string CName { get; }
    public uint VideoTimestampBase { get; }
    public uint AudioTimestampBase { get; }
    public RtpPacketRing Video { get; }
    public RtpPacketRing Audio { get; }
    public RoomMediaClock Clock { get; }
    public MediaFormat Format => _source.Format;
    public int ViewerCount => _viewers.Length;
    public long VideoPackets => _videoStream.PacketCount;
    public long VideoOctets => _videoStream.OctetCount;
    public long AudioPackets => _audioStream.PacketCount;
    public long AudioOctets => _audioStream.OctetCount;
    public long KeyframeRequests => Interlocked.Read(ref _keyframeRequests);
    public long AudioTicksDropped => Interlocked.Read(ref _audioTicksDropped);

    /// <summary>Packets any viewer of this room skipped (fell behind its queue, or its send failed), past and present viewers.</summary>
    public long ViewerPacketsDropped => Interlocked.Read(ref _viewerPacketsDropped);

    public void CountViewerDrops(long packets) => Interlocked.Add(ref _viewerPacketsDropped, packets);

    public bool CanReportTime => Clock.IsAnchored;
    private Action RequestKeyframeAction { get; }

    public void Start()
    {
        _videoLoop = Task.Run(() => VideoLoopAsync(_stop.Token));
        _audioLoop = Task.Run(() => AudioLoopAsync(_stop.Token));
    }

    /// <summary>The engine's audio for one tick (called from the engine loop: never blocks, drops the oldest when full).</summary>
    public void WriteAudio(long frameIndex, short[] samples) => _audioIn.Writer.TryWrite((frameIndex, samples, Stopwatch.GetTimestamp()));

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
        var now = Stopwatch.GetTimestamp();
        return (unchecked(VideoTimestampBase + (uint)Clock.MediaTimeNow(MediaFormat.Clock90k, now)),
                unchecked(AudioTimestampBase + (uint)Clock.MediaTimeNow(MediaFormat.AudioSampleRate, now)));
    }

    private async Task VideoLoopAsync(CancellationToken cancellationToken)
    {
        // Passive: viewers, not this subscription, make the room encode (AddViewer).
        using var subscription = _source.Subscribe("webrtc:" + Room, capacity: 64, passive: true);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var frame = await subscription.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (frame.Kind != MediaKind.Video) continue;
                if (!_packetizer.HasParameterSets)
                {
                    if (_source.VideoConfig is not { } config) continue;
                    _packetizer.SetParameterSets(config);
                }
                if (frame.IsKeyframe) Video.MarkNextAsKeyframeStart();
                var timestamp = unchecked(VideoTimestampBase + (uint)frame.Pts90k);
                var packetized = _packetizer.TryPacketize(frame, timestamp, Video, out _);
                if (frame.IsKeyframe) Video.CompleteKeyframe();
                if (packetized) Nudge();
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
        try
        {
            await foreach (var (frameIndex, samples, timestamp) in _audioIn.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Clock.Anchor(frameIndex, timestamp);
                if (_firstAudioSample < 0) _firstAudioSample = frameIndex * Format.SamplesPerFrame;
                _opus.Write(samples, this);
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

    void IOpusFrameSink.OnOpusFrame(ReadOnlySpan<byte> opusPacket, long samplePosition, int sampleCount)
    {
        var timestamp = unchecked(AudioTimestampBase + (uint)(_firstAudioSample + samplePosition));
        if (_opusPacketizer.TryPacketize(opusPacket, timestamp, Audio)) Nudge();
    }

    private void Nudge()
    {
        foreach (var viewer in _viewers) viewer.PacketsAvailable();
    }

    private static uint RandomSsrc() => (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _audioIn.Writer.TryComplete();
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
