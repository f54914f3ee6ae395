namespace LiveHost.Speech;

/// <summary>
/// A piece of a line's audio as soon as the synthesizer made it: 48 kHz mono 16-bit samples, and the phonemes
/// that start within it (offsets from the start of the line, not of the chunk).
/// </summary>
public sealed class SpeechChunk(short[] samples, IReadOnlyList<PhonemeMark> marks)
{
    public short[] Samples { get; } = samples;
    public IReadOnlyList<PhonemeMark> Marks { get; } = marks;
}
