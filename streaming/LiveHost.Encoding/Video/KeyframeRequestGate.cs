namespace LiveHost.Encoding.Video;

/// <summary>
/// Turns keyframe requests from any thread (a browser's PLI or FIR, a new RTMP connection) into forced IDR
/// pictures on the encode loop, at most one per <c>minimumGapFrames</c>: a dozen viewers joining at once, or one
/// on a lossy link asking every few packets, cost one IDR, not one each. A request made while the gap has not
/// passed stays pending and is honoured when it has; any IDR picture, forced or from the GOP, answers every
/// request made before it.
/// </summary>
public sealed class KeyframeRequestGate(int minimumGapFrames)
{
    private int _pending;
    private int _restart;
    private long _lastIdrFrame = long.MinValue;

    /// <summary>Safe from any thread.</summary>
    public void Request() => Volatile.Write(ref _pending, 1);

    public bool IsPending => Volatile.Read(ref _pending) != 0;

    /// <summary>
    /// The stream paused (frames went uncoded): the next frame the encode loop codes is an IDR whatever the gap
    /// (nobody has a picture to continue from). Safe from any thread.
    /// </summary>
    public void Restart() => Volatile.Write(ref _restart, 1);

    /// <summary>Called by the encode loop before each frame: whether to code this one as an IDR.</summary>
    public bool ShouldForce(long frameIndex)
    {
        if (Interlocked.Exchange(ref _restart, 0) != 0) return true;
        if (Volatile.Read(ref _pending) == 0) return false;
        return _lastIdrFrame == long.MinValue || frameIndex - _lastIdrFrame >= minimumGapFrames;
    }

    /// <summary>Called by the encode loop for every IDR it publishes; requests made before it are answered.</summary>
    public void OnIdr(long frameIndex)
    {
        _lastIdrFrame = frameIndex;
        Volatile.Write(ref _pending, 0);
    }
}
