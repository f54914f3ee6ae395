using LiveHost.Media;

namespace LiveHost.Encoding.Audio;

/// <summary>
/// Maps the samples one audio ffmpeg run has been fed back to the room's clock.
/// <para>
/// Pts: the run starts at the first chunk's tick, sample position <c>FrameIndex * SamplesPerFrame</c>, and ffmpeg sees
/// the samples after it contiguously. ffmpeg's AAC encoder primes with 1024 samples of delay, so of its output frames
/// k = 0, 1, 2, ... frame 0 is priming (dropped) and frame k carries input samples from <c>(k - 1) * 1024</c> on:
/// its pts is <c>AudioPts90k(start + (k - 1) * 1024)</c>, i.e. steps of 1920 on the 90 kHz clock, plus the ticks the
/// engine skipped before it (see <see cref="Fed"/>).
/// </para>
/// <para>Latency: a frame is timed from the tick that delivered its last sample, the earliest it could have been encoded.</para>
/// </summary>
internal sealed class AudioTimeline(MediaFormat format)
{
    public const int SamplesPerAacFrame = 1024;

    private readonly Queue<(long End, long SourceTimestamp)> _chunks = new();

    // Gaps (ticks the engine skipped): from input sample At on, positions are Shift later than the samples fed.
    private readonly Queue<(long At, long Shift)> _gaps = new();
    private long _start = -1;
    private long _fed;
    private long _shift;
    private long _frameShift;
    private long _lastTimestamp;

    /// <summary>
    /// Notes a chunk about to be written to ffmpeg, and returns how many samples of silence to write before it. A chunk
    /// later than the samples fed so far (the engine skipped ticks) leaves a gap in the pts: the AAC frame begun before
    /// the gap is completed with silence (at most the gap's length) and the frames after it start at the chunk's position.
    /// </summary>
    public int Fed(AudioChunk chunk)
    {
        lock (_chunks)
        {
            var position = chunk.FrameIndex * format.SamplesPerFrame;
            var silence = 0;
            if (_start < 0)
            {
                _start = position;
            }
            else if (position - (_start + _fed + _shift) is var gap and > 0)
            {
                silence = (int)Math.Min(gap, (SamplesPerAacFrame - _fed % SamplesPerAacFrame) % SamplesPerAacFrame);
                _fed += silence;
                if (gap > silence)
                {
                    _shift += gap - silence;
                    _gaps.Enqueue((_fed, _shift));
                }
            }
            _fed += chunk.Samples.Length;
            _chunks.Enqueue((_fed, chunk.SourceTimestamp));
            return silence;
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
            while (_gaps.Count > 0 && _gaps.Peek().At <= firstSample) _frameShift = _gaps.Dequeue().Shift;
            return (MediaFormat.AudioPts90k(Math.Max(_start, 0) + firstSample + _frameShift), timestamp);
        }
    }
}
