using System.Globalization;

namespace VisemeDataset;

/// <summary>Command-line settings of the dataset tool; every one has a default so a bare run reproduces the shipped model's data.</summary>
public sealed class DatasetOptions
{
    public string CorpusDirectory { get; set; } = "onnx-models/tools/corpus";
    public string OutputDirectory { get; set; } = "onnx-models/.data/viseme-corpus";
    public int EnglishSentences { get; set; } = 1200;
    public int MandarinSentences { get; set; } = 1200;

    /// <summary>How many renditions (voice, rate, pitch) of each sentence; each in a different voice of its language.</summary>
    public int Takes { get; set; } = 2;

    public double HeldOutFraction { get; set; } = 0.15;
    public int Seed { get; set; } = 20261125;

    /// <summary>Speaking rates (words per minute) a rendition picks from.</summary>
    public IReadOnlyList<int> Rates { get; set; } = [130, 160, 190, 225];

    /// <summary>Base pitches (0..100) a rendition picks from.</summary>
    public IReadOnlyList<int> Pitches { get; set; } = [35, 50, 65];

    public static DatasetOptions Parse(string[] args)
    {
        var o = new DatasetOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--corpus": o.CorpusDirectory = Next(); break;
                case "--out": o.OutputDirectory = Next(); break;
                case "--en-sentences": o.EnglishSentences = NextInt(); break;
                case "--zh-sentences": o.MandarinSentences = NextInt(); break;
                case "--takes": o.Takes = NextInt(); break;
                case "--heldout": o.HeldOutFraction = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": o.Seed = NextInt(); break;
                case "--rates": o.Rates = [.. Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--pitches": o.Pitches = [.. Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        if (o.Takes < 1) throw new ArgumentException("--takes must be at least 1.");
        if (o.HeldOutFraction is <= 0 or >= 1) throw new ArgumentException("--heldout must be between 0 and 1.");
        return o;
    }

    public const string Usage =
        "VisemeDataset [--corpus DIR] [--out DIR] [--en-sentences N] [--zh-sentences N] [--takes N] " +
        "[--heldout F] [--seed N] [--rates 130,160,...] [--pitches 35,50,...]\n" +
        "VisemeDataset check-onnx MODEL.onnx REPORT.json   (compares ONNX Runtime with the torch logits in the report)\n" +
        "VisemeDataset check-wav2lip MODEL.onnx MODEL.onnx.probe.json   (runs a convert_wav2lip.py model through LiveHost's Wav2Lip path against torch's output)";
}
