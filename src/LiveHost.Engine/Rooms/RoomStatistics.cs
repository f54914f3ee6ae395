namespace LiveHost.Engine.Rooms;

/// <summary>
/// Counters and recent timings of one room, written by its engine loop and read by metrics and benchmarks.
/// Timings are kept in a ring so readers get a distribution, not a single number.
/// </summary>
public sealed class RoomStatistics
{
    public const int TimingWindow = 1024;

    private readonly double[] _renderMs = new double[TimingWindow];
    private readonly double[] _tickMs = new double[TimingWindow];
    private readonly double[] _encoderWriteMs = new double[TimingWindow];
    private long _timingCount;
    private long _cueCount;

    public long FramesRendered;
    public long LateTicks;
    public long SkippedFrames;
    public long DroppedVideoFrames;
    public long LinesStarted;
    public long LinesFinished;
    public long LastTickTimestamp;
    public double LagMilliseconds;

    /// <summary>Cue-to-first-audio-sample of recent lines (ms), newest last.</summary>
    public readonly System.Collections.Concurrent.ConcurrentQueue<double> CueToFirstAudioMs = new();

    /// <summary>
    /// Raised on the engine loop after every tick, with the samples the tick placed. For benchmarks, which need every
    /// tick rather than the recent window; handlers run inside the tick and must return at once.
    /// </summary>
    public event TickObserver? TickRecorded;

    public void RecordTick(double renderMs, double tickMs) => RecordTick(new TickTiming(-1, 0, renderMs, 0, tickMs), default);

    public void RecordTick(in TickTiming timing, ReadOnlySpan<short> samples)
    {
        var i = (int)(Interlocked.Increment(ref _timingCount) - 1) % TimingWindow;
        _renderMs[i] = timing.RenderMs;
        _tickMs[i] = timing.TickMs;
        _encoderWriteMs[i] = timing.EncoderWriteMs;
        TickRecorded?.Invoke(timing, samples);
    }

    public void RecordCueToFirstAudio(double milliseconds)
    {
        CueToFirstAudioMs.Enqueue(milliseconds);
        Interlocked.Increment(ref _cueCount);
        while (CueToFirstAudioMs.Count > TimingWindow) CueToFirstAudioMs.TryDequeue(out _);
    }

    /// <summary>Ticks timed so far; with <see cref="RecentRenderMs"/> a reader can pick out the ones it has not seen.</summary>
    public long TimingCount => Interlocked.Read(ref _timingCount);

    /// <summary>Lines whose cue-to-first-audio was recorded so far (the queue keeps only the newest).</summary>
    public long CueToFirstAudioCount => Interlocked.Read(ref _cueCount);

    /// <summary>Render times (ms) of ticks [<paramref name="fromCount"/>, TimingCount), at most a window's worth.</summary>
    public int CopyRenderMsSince(long fromCount, Span<double> destination, out long toCount)
    {
        toCount = TimingCount;
        var first = Math.Max(fromCount, toCount - TimingWindow);
        var n = (int)Math.Min(toCount - first, destination.Length);
        for (var k = 0; k < n; k++) destination[k] = _renderMs[(first + k) % TimingWindow];
        return n;
    }

    public double[] RecentRenderMs() => Recent(_renderMs);
    public double[] RecentTickMs() => Recent(_tickMs);
    public double[] RecentEncoderWriteMs() => Recent(_encoderWriteMs);

    private double[] Recent(double[] ring)
    {
        var count = (int)Math.Min(Interlocked.Read(ref _timingCount), TimingWindow);
        return ring.AsSpan(0, count).ToArray();
    }

    /// <summary>What one tick cost.</summary>
    /// <param name="FrameIndex">The tick's frame index (-1 when the caller did not say).</param>
    /// <param name="HandedToEncoderTimestamp">Stopwatch timestamp at which the tick went to the encoder (its RawMediaTick.CreatedTimestamp).</param>
    /// <param name="RenderMs">Drawing the frame.</param>
    /// <param name="EncoderWriteMs">The engine's call into the encoder (queueing the tick; the pipe write happens on the encoder's thread).</param>
    /// <param name="TickMs">The whole tick, commands and audio included.</param>
    /// <param name="StartLateMs">How long after the instant it was due the tick began (0 for a tick driven by hand): the loop's wake-up jitter, plus any catching up.</param>
    public readonly record struct TickTiming(long FrameIndex, long HandedToEncoderTimestamp, double RenderMs, double EncoderWriteMs, double TickMs, double StartLateMs = 0);

    public delegate void TickObserver(in TickTiming timing, ReadOnlySpan<short> samples);
}
