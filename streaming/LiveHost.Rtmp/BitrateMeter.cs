namespace LiveHost.Rtmp;

/// <summary>
/// An output's send rate: the bytes that went out over the last window of at least <see cref="Window"/>, fed by the
/// sender after each frame with its running byte total. One writer (the output's pump), any readers; allocates nothing.
/// </summary>
public sealed class BitrateMeter(TimeProvider timeProvider)
{
    /// <summary>The shortest span a rate is measured over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private long _windowStart;
    private long _windowBytes;
    private long _bitsPerSecond;

    /// <summary>Bits per second over the last complete window; 0 before one completed.</summary>
    public long BitsPerSecond => Volatile.Read(ref _bitsPerSecond);

    /// <summary>Starts over (a new connection): the next window begins at <paramref name="totalBytes"/>.</summary>
    public void Reset(long totalBytes)
    {
        _windowStart = timeProvider.GetTimestamp();
        _windowBytes = totalBytes;
        Volatile.Write(ref _bitsPerSecond, 0);
    }

    /// <summary>Records the sender's running total; closes the window once it is <see cref="Window"/> long.</summary>
    public void Record(long totalBytes)
    {
        var elapsed = timeProvider.GetElapsedTime(_windowStart);
        if (elapsed < Window) return;
        Volatile.Write(ref _bitsPerSecond, (long)((totalBytes - _windowBytes) * 8 / elapsed.TotalSeconds));
        _windowStart = timeProvider.GetTimestamp();
        _windowBytes = totalBytes;
    }
}
