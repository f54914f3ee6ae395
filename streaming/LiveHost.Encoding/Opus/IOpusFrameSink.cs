namespace LiveHost.Encoding.Opus;

/// <summary>Receives the Opus packets an <see cref="OpusEncoderStage"/> produces.</summary>
public interface IOpusFrameSink
{
    /// <param name="opusPacket">Valid only during the call: the stage reuses its buffer.</param>
    /// <param name="samplePosition">The 48 kHz position of the frame's first input sample.</param>
    /// <param name="sampleCount">Samples per channel the frame covers.</param>
    void OnOpusFrame(ReadOnlySpan<byte> opusPacket, long samplePosition, int sampleCount);
}
