namespace LiveHost.Encoding;

/// <summary>Median, 95th percentile and maximum of the most recent encode latencies (raw input to published frame).</summary>
public readonly record struct LatencySnapshot(int Samples, TimeSpan Median, TimeSpan P95, TimeSpan Max);

/// <summary>
/// A rolling window of per-frame encode latencies, from <see cref="LiveHost.Media.EncodedFrame.SourceTimestamp"/> to
/// the moment the frame was published. Cheap to record from the encoder's reader; benchmarks and /metrics read snapshots.
/// </summary>
public sealed class EncodeLatencyStats
{
    private readonly long[] _ticks;
    private readonly object _gate = new();
    private int _next;
    private int _count;
    private long _total;

    public EncodeLatencyStats(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _ticks = new long[capacity];
    }

    /// <summary>Every latency ever recorded, including those that have left the window.</summary>
    public long TotalRecorded => Interlocked.Read(ref _total);

    /// <summary>Raised after each recording, on the encoder's reader; handlers must be quick.</summary>
    public event Action<TimeSpan>? Recorded;

    public void Record(TimeSpan latency)
    {
        lock (_gate)
        {
            _ticks[_next] = latency.Ticks;
            _next = (_next + 1) % _ticks.Length;
            if (_count < _ticks.Length) _count++;
        }
        Interlocked.Increment(ref _total);
        Recorded?.Invoke(latency);
    }

    public LatencySnapshot Snapshot()
    {
        long[] copy;
        lock (_gate) copy = _ticks.AsSpan(0, _count).ToArray();
        if (copy.Length == 0) return default;
        Array.Sort(copy);
        return new LatencySnapshot(
            copy.Length,
            TimeSpan.FromTicks(copy[(copy.Length - 1) / 2]),
            TimeSpan.FromTicks(copy[Math.Min(copy.Length - 1, (int)Math.Ceiling(copy.Length * 0.95) - 1)]),
            TimeSpan.FromTicks(copy[^1]));
    }
}
