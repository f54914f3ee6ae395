namespace LiveHost.Encoding;

/// <summary>What a room's encoder has done so far; every value only grows. Safe to read from any thread.</summary>
public sealed class EncoderCounters
{
    private long _ticksIn;
    private long _videoFramesQueued;
    private long _videoFramesDropped;
    private long _videoFramesOut;
    private long _videoKeyframesOut;
    private long _audioSamplesIn;
    private long _audioFramesOut;
    private long _opusFramesOut;
    private long _videoRestarts;
    private long _audioRestarts;
    private long _malformedOutputs;
    private long _keyframeRequests;
    private long _keyframesForced;
    private long _videoFramesIdle;

    /// <summary>Ticks handed to <see cref="RoomEncoder.Write"/>.</summary>
    public long TicksIn => Interlocked.Read(ref _ticksIn);

    /// <summary>Video frames accepted into the queue towards the video encoder.</summary>
    public long VideoFramesQueued => Interlocked.Read(ref _videoFramesQueued);

    /// <summary>Video frames dropped because the queue was full (the encoder behind or restarting) or the encoder closed.</summary>
    public long VideoFramesDropped => Interlocked.Read(ref _videoFramesDropped);

    public long VideoFramesOut => Interlocked.Read(ref _videoFramesOut);
    public long VideoKeyframesOut => Interlocked.Read(ref _videoKeyframesOut);
    public long AudioSamplesIn => Interlocked.Read(ref _audioSamplesIn);
    /// <summary>AAC frames published.</summary>
    public long AudioFramesOut => Interlocked.Read(ref _audioFramesOut);

    /// <summary>Opus frames published (20 ms each, for WebRTC).</summary>
    public long OpusFramesOut => Interlocked.Read(ref _opusFramesOut);
    public long VideoRestarts => Interlocked.Read(ref _videoRestarts);
    public long AudioRestarts => Interlocked.Read(ref _audioRestarts);

    /// <summary>Output units that failed validation (bad NAL lengths, unparsable headers) and were not published.</summary>
    public long MalformedOutputs => Interlocked.Read(ref _malformedOutputs);

    /// <summary>Keyframe requests received (PLI, FIR, new outputs), before coalescing.</summary>
    public long KeyframeRequests => Interlocked.Read(ref _keyframeRequests);

    /// <summary>IDR pictures coded because of a request rather than the GOP; only the in-process x264 encoder can.</summary>
    public long KeyframesForced => Interlocked.Read(ref _keyframesForced);

    /// <summary>Video frames not coded because nobody wanted them (no viewer, output or recording subscribed).</summary>
    public long VideoFramesIdle => Interlocked.Read(ref _videoFramesIdle);

    internal void VideoIdle() => Interlocked.Increment(ref _videoFramesIdle);
    internal void TickIn() => Interlocked.Increment(ref _ticksIn);
    internal void VideoQueued() => Interlocked.Increment(ref _videoFramesQueued);
    internal void VideoDropped() => Interlocked.Increment(ref _videoFramesDropped);
    internal void VideoOut(bool keyframe)
    {
        Interlocked.Increment(ref _videoFramesOut);
        if (keyframe) Interlocked.Increment(ref _videoKeyframesOut);
    }
    internal void AudioIn(int samples) => Interlocked.Add(ref _audioSamplesIn, samples);
    internal void AudioOut() => Interlocked.Increment(ref _audioFramesOut);
    internal void OpusOut() => Interlocked.Increment(ref _opusFramesOut);
    internal void VideoRestarted() => Interlocked.Increment(ref _videoRestarts);
    internal void AudioRestarted() => Interlocked.Increment(ref _audioRestarts);
    internal void Malformed() => Interlocked.Increment(ref _malformedOutputs);
    internal void KeyframeRequested() => Interlocked.Increment(ref _keyframeRequests);
    internal void KeyframeForced() => Interlocked.Increment(ref _keyframesForced);
}
