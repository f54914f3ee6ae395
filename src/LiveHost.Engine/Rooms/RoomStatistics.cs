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
    private long _timingCount;

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

    public void RecordTick(double renderMs, double tickMs)
    {
        var i = (int)(Interlocked.Increment(ref _timingCount) - 1) % TimingWindow;
        _renderMs[i] = renderMs;
        _tickMs[i] = tickMs;
    }

    public void RecordCueToFirstAudio(double milliseconds)
    {
        CueToFirstAudioMs.Enqueue(milliseconds);
        while (CueToFirstAudioMs.Count > TimingWindow) CueToFirstAudioMs.TryDequeue(out _);
    }

    public double[] RecentRenderMs() => Recent(_renderMs);
    public double[] RecentTickMs() => Recent(_tickMs);

    private double[] Recent(double[] ring)
    {
        var count = (int)Math.Min(Interlocked.Read(ref _timingCount), TimingWindow);
        return ring.AsSpan(0, count).ToArray();
    }
}
