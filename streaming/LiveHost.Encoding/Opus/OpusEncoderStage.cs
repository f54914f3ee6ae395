using Concentus;
using Concentus.Enums;

namespace LiveHost.Encoding.Opus;

/// <summary>
/// The room's single Opus encode (Concentus, 48 kHz mono): takes PCM in chunks of any size (the engine hands over
/// one video tick's worth, 1920 samples at 25 fps), gathers it into whole Opus frames, and hands each encoded frame
/// with the sample position of its first input sample to a sink. All buffers are allocated up front.
/// Not thread-safe: the room's media loop is its only caller.
/// </summary>
public sealed class OpusEncoderStage
{
    public const int SampleRate = 48_000;
    public const int Channels = 1;

    /// <summary>The largest Opus packet a single frame can produce (RFC 6716 §3.4, R1/R2).</summary>
    public const int MaxPacketSize = 1275;

    private readonly IOpusEncoder _encoder;
    private readonly float[] _frame;
    private readonly byte[] _packet = new byte[MaxPacketSize];
    private int _buffered;
    private long _nextFramePosition;

    public OpusEncoderStage(OpusEncoderStageOptions? options = null)
    {
        options ??= new OpusEncoderStageOptions();
        options.Validate();
        _encoder = OpusCodecFactory.CreateEncoder(SampleRate, Channels, OpusApplication.OPUS_APPLICATION_AUDIO);
        _encoder.Bitrate = options.Bitrate;
        _encoder.Complexity = options.Complexity;
        _encoder.UseVBR = true;
        FrameSamples = options.FrameSamples;
        _frame = new float[FrameSamples];
        _nextFramePosition = options.FirstSamplePosition;
    }

    public int FrameSamples { get; }

    /// <summary>Samples waiting for the rest of their frame.</summary>
    public int BufferedSamples => _buffered;

    /// <summary>Frames encoded so far.</summary>
    public long EncodedFrames { get; private set; }

    /// <summary>Appends float samples (−1..1) and emits every frame they complete; returns the frames emitted.</summary>
    public int Write(ReadOnlySpan<float> samples, IOpusFrameSink sink)
    {
        var emitted = 0;
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, FrameSamples - _buffered);
            samples[..take].CopyTo(_frame.AsSpan(_buffered));
            _buffered += take;
            samples = samples[take..];
            if (_buffered == FrameSamples) emitted += EncodeFrame(sink);
        }
        return emitted;
    }

    /// <summary>Appends 16-bit samples (what <see cref="LiveHost.Media.RawMediaTick.Samples"/> holds); returns the frames emitted.</summary>
    public int Write(ReadOnlySpan<short> samples, IOpusFrameSink sink)
    {
        var emitted = 0;
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, FrameSamples - _buffered);
            var target = _frame.AsSpan(_buffered, take);
            for (var i = 0; i < take; i++) target[i] = samples[i] / 32768f;
            _buffered += take;
            samples = samples[take..];
            if (_buffered == FrameSamples) emitted += EncodeFrame(sink);
        }
        return emitted;
    }

    /// <summary>
    /// Moves the stage to sample position <paramref name="position"/>, where the next sample written belongs, leaving
    /// a gap in the frames' positions (the room skipped ticks): a frame begun before the gap is completed with silence
    /// (at most the gap's length, so no two frames overlap) and emitted, and the next frame starts at
    /// <paramref name="position"/>. A position at or before the next expected one changes nothing. Returns the frames emitted.
    /// </summary>
    public int SkipTo(long position, IOpusFrameSink sink)
    {
        var gap = position - (_nextFramePosition + _buffered);
        if (gap <= 0) return 0;
        var emitted = 0;
        if (_buffered > 0)
        {
            var pad = (int)Math.Min(gap, FrameSamples - _buffered);
            _frame.AsSpan(_buffered, pad).Clear();
            _buffered += pad;
            gap -= pad;
            if (_buffered == FrameSamples) emitted += EncodeFrame(sink);
        }
        // Whatever of the gap the padding did not fill is skipped: the stage is between frames here unless the gap was
        // shorter than the padding, in which case the padding filled it exactly.
        _nextFramePosition += gap;
        return emitted;
    }

    private int EncodeFrame(IOpusFrameSink sink)
    {
        var length = _encoder.Encode(_frame, FrameSamples, _packet, _packet.Length);
        var position = _nextFramePosition;
        _nextFramePosition += FrameSamples;
        _buffered = 0;
        EncodedFrames++;
        sink.OnOpusFrame(_packet.AsSpan(0, length), position, FrameSamples);
        return 1;
    }
}
