using System.Collections.Concurrent;
using System.Diagnostics;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Rooms;
using LiveHost.Media;

namespace LiveHost.Perf.Foundation;

/// <summary>One tick as the engine reported it.</summary>
public readonly record struct TickSample(long FrameIndex, long HandedToEncoderTimestamp, double RenderMs, double EncoderWriteMs, double TickMs);

/// <summary>One encoded frame and the moment the encoder published it.</summary>
public readonly record struct PublishedFrame(long Pts90k, long PublishedTimestamp, long SourceTimestamp, bool IsKeyframe);

/// <summary>
/// Watches one real room without changing what it does: it is the room's event sink (as the control plane's hub sink
/// is in the host), it observes every engine tick and every line's first sample, and it takes every frame the
/// encoder publishes. Encoded frames are read from subscriptions on the room's broadcaster inside the encoder's own
/// "latency recorded" callback, which runs right after each publish on the encoder's reader, so the publish moment
/// is taken within microseconds rather than after a thread hop.
/// </summary>
public sealed class RoomProbe : IRoomEventSink, IDisposable
{
    /// <summary>About -40 dBFS: the level below which espeak-ng's leading silence is trimmed, so "audible" means the same here.</summary>
    public const int AudibleThreshold = 330;

    private readonly ConcurrentDictionary<string, LineProgress> _lines = new(StringComparer.Ordinal);
    private readonly List<TickSample> _ticks = new(16_384);
    private readonly List<PublishedFrame> _video = new(16_384);
    private readonly List<PublishedFrame> _audio = new(32_768);
    private LiveRoom? _room;
    private MediaSubscription? _videoSubscription;
    private MediaSubscription? _audioSubscription;
    private LineProgress? _awaitingAudible;

    public string Name => _room?.Name ?? "";
    public LiveRoom Room => _room ?? throw new InvalidOperationException("not attached");

    public long VideoSubscriptionDrops => _videoSubscription?.DroppedFrames ?? 0;
    public long AudioSubscriptionDrops => _audioSubscription?.DroppedFrames ?? 0;

    /// <summary>Hooks the room before it starts, so its first tick and first encoded frame are seen.</summary>
    public void Attach(LiveRoom room)
    {
        _room = room;
        room.Engine.FirstAudioPlaced += OnFirstAudioPlaced;
        room.Engine.Statistics.TickRecorded += OnTick;
        _videoSubscription = room.Encoder.Output.Subscribe("perf-video", capacity: 4096);
        _audioSubscription = room.Encoder.Output.Subscribe("perf-audio", capacity: 4096);
        room.Encoder.VideoLatency.Recorded += _ => Drain(_videoSubscription, MediaKind.Video, _video);
        room.Encoder.AudioLatency.Recorded += _ => Drain(_audioSubscription, MediaKind.Audio, _audio);
    }

    public LineProgress Line(string lineId) => _lines.GetOrAdd(lineId, id => new LineProgress(id));

    /// <summary>Copies taken after the room stopped.</summary>
    public TickSample[] Ticks() { lock (_ticks) return [.. _ticks]; }
    public PublishedFrame[] VideoFrames() { lock (_video) return [.. _video]; }
    public PublishedFrame[] AudioFrames() { lock (_audio) return [.. _audio]; }

    public void LineQueued(Line line) { }

    // On the engine loop, inside the tick that took the line, before its frame is drawn.
    public void LineStarted(Line line)
    {
        var progress = Line(line.Id);
        progress.TakenTimestamp = Stopwatch.GetTimestamp();
        progress.TakenFrame = _room?.Engine.FrameIndex ?? -1;
    }

    public void LineFinished(Line line)
    {
        var progress = Line(line.Id);
        progress.Finish = line.Reason;
        progress.FinishedTimestamp = Stopwatch.GetTimestamp();
        progress.FinishedFrame = _room?.Engine.FrameIndex ?? -1;
        progress.Finished.TrySetResult();
    }

    public void StateChanged(RoomState state) { }

    // On the engine loop, inside the tick that placed the sample.
    private void OnFirstAudioPlaced(Line line, long frameIndex)
    {
        var progress = Line(line.Id);
        progress.FirstAudioTimestamp = Stopwatch.GetTimestamp();
        progress.FirstAudioFrame = frameIndex;
        _awaitingAudible = progress;
        progress.FirstAudio.TrySetResult();
    }

    // On the engine loop, at the end of every tick. The tick's samples are those of the audio lead's ticks after its
    // frame (Engine:AudioLeadMilliseconds): they are placed now and shown, by the mouth, on frame FrameIndex + lead.
    private void OnTick(in RoomStatistics.TickTiming timing, ReadOnlySpan<short> samples)
    {
        lock (_ticks) _ticks.Add(new TickSample(timing.FrameIndex, timing.HandedToEncoderTimestamp, timing.RenderMs, timing.EncoderWriteMs, timing.TickMs));
        var audioTick = timing.FrameIndex + (_room?.Engine.AudioLeadTicks() ?? 0);
        if (_awaitingAudible is not { } line || audioTick < line.FirstAudioFrame) return;
        for (var i = 0; i < samples.Length; i++)
        {
            if (Math.Abs((int)samples[i]) < AudibleThreshold) continue;
            line.AudibleFrame = audioTick;
            line.AudibleSample = audioTick * samples.Length + i;
            line.AudibleTimestamp = timing.HandedToEncoderTimestamp;
            _awaitingAudible = null;
            return;
        }
        // A line that stays silent this long has no audible start worth timing.
        if (audioTick - line.FirstAudioFrame > 100) _awaitingAudible = null;
    }

    private static void Drain(MediaSubscription? subscription, MediaKind kind, List<PublishedFrame> into)
    {
        if (subscription is null) return;
        var now = Stopwatch.GetTimestamp();
        while (subscription.TryRead(out var frame))
        {
            if (frame is null || frame.Kind != kind) continue;
            lock (into) into.Add(new PublishedFrame(frame.Pts90k, now, frame.SourceTimestamp, frame.IsKeyframe));
        }
    }

    public void Dispose()
    {
        _videoSubscription?.Dispose();
        _audioSubscription?.Dispose();
    }
}
