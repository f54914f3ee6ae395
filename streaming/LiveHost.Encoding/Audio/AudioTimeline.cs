using LiveHost.Media;

namespace LiveHost.Encoding.Audio;

/// <summary>
/// Maps the samples one audio ffmpeg run has been fed back to the room's clock.
/// <para>
/// Pts: the run starts at the first chunk's tick, sample position <c>FrameIndex * SamplesPerFrame</c>, and ffmpeg sees
/// the samples after it contiguously. ffmpeg's AAC encoder primes with 1024 samples of delay, so of its output frames
/// k = 0, 1, 2, ... frame 0 is priming (dropped) and frame k carries input samples from <c>(k - 1) * 1024</c> on:
/// its pts is <c>AudioPts90k(start + (k - 1) * 1024)</c>, i.e. steps of 1920 on the 90 kHz clock.
/// </para>
/// <para>Latency: a frame is timed from the tick that delivered its last sample, the earliest it could have been encoded.</para>
/// </summary>
internal sealed class AudioTimeline(MediaFormat format)
{
    public const int SamplesPerAacFrame = 1024;

    private readonly Queue<(long End, long SourceTimestamp)> _chunks = new();
    private long _start = -1;
    private long _fed;
    private long _lastTimestamp;

    /// <summary>Notes a chunk about to be written to ffmpeg.</summary>
    public void Fed(AudioChunk chunk)
    {
        lock (_chunks)
        {
            if (_start < 0) _start = chunk.FrameIndex * format.SamplesPerFrame;
            _fed += chunk.Samples.Length;
            _chunks.Enqueue((_fed, chunk.SourceTimestamp));
        }
    }

    /// <summary>Where AAC frame <paramref name="frameNumber"/> (1-based after priming) starts, and the timestamp of its last input sample.</summary>
    public (long Pts90k, long SourceTimestamp) Frame(long frameNumber)
    {
        var firstSample = (frameNumber - 1) * SamplesPerAacFrame;
        var lastSample = firstSample + SamplesPerAacFrame - 1;
        lock (_chunks)
        {
            while (_chunks.Count > 0 && _chunks.Peek().End <= lastSample) _lastTimestamp = _chunks.Dequeue().SourceTimestamp;
            var timestamp = _chunks.Count > 0 ? _chunks.Peek().SourceTimestamp : _lastTimestamp;
            return (MediaFormat.AudioPts90k(Math.Max(_start, 0) + firstSample), timestamp);
        }
    }
}
