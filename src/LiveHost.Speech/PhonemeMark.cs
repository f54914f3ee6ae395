namespace LiveHost.Speech;

/// <summary>A phoneme starting <see cref="SampleOffset"/> samples (48 kHz) after the start of its line's audio.</summary>
public readonly record struct PhonemeMark(long SampleOffset, string Phoneme, Viseme Viseme);
