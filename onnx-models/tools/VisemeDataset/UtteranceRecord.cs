namespace VisemeDataset;

/// <summary>One line of utterances.jsonl: a synthesized sentence, where its audio is, and its phoneme marks.</summary>
/// <param name="Audio">Path relative to the dataset folder of the raw audio: 16-bit little-endian mono PCM at <paramref name="SampleRate"/>.</param>
/// <param name="Marks">Each phoneme as [sample offset at 48 kHz, espeak mnemonic, viseme index (LiveHost.Speech.Viseme)].</param>
public sealed record UtteranceRecord(
    string Id,
    string Split,
    string Language,
    string Voice,
    int Rate,
    int Pitch,
    int Sentence,
    string Text,
    int SampleRate,
    long Samples,
    string Audio,
    IReadOnlyList<object[]> Marks);
