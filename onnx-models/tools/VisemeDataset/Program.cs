using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VisemeDataset;

// Synthesizes the viseme model's corpus: seeded sentences from the word lists, each spoken by LiveHost's own
// espeak-ng synthesizer in a few voices, rates and pitches; writes the 48 kHz audio and the phoneme marks.
if (args.Length == 3 && args[0] == "check-onnx") return OnnxProbeCheck.Run(args[1], args[2]);
if (args.Length == 3 && args[0] == "check-wav2lip") return await Wav2LipCheck.RunAsync(args[1], args[2]);

DatasetOptions options;
try
{
    options = DatasetOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(DatasetOptions.Usage);
    return 2;
}

var clock = Stopwatch.StartNew();
var audioDirectory = Path.Combine(options.OutputDirectory, "audio");
Directory.CreateDirectory(audioDirectory);
var catalog = VoiceCatalog.CreateDefault();
var synthesizers = new Dictionary<(int Rate, int Pitch), EspeakSynthesizer>();
EspeakSynthesizer SynthesizerFor(int rate, int pitch)
{
    if (!synthesizers.TryGetValue((rate, pitch), out var s))
    {
        s = new EspeakSynthesizer(Options.Create(new SpeechOptions { RateWordsPerMinute = rate, Pitch = pitch }), catalog,
            NullLogger<EspeakSynthesizer>.Instance);
        synthesizers[(rate, pitch)] = s;
    }
    return s;
}

var languages = new[]
{
    (Code: "en", Prefix: "en", Count: options.EnglishSentences, English: true),
    (Code: "zh", Prefix: "zh", Count: options.MandarinSentences, English: false),
};
var summary = new Dictionary<string, object>();
var jsonOptions = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
await using (var manifest = new StreamWriter(Path.Combine(options.OutputDirectory, "utterances.jsonl")))
{
    foreach (var language in languages)
    {
        var words = WordLists.Load(Path.Combine(options.CorpusDirectory, $"{language.Prefix}-words.txt"));
        var templates = SentenceGenerator.LoadTemplates(Path.Combine(options.CorpusDirectory, $"{language.Prefix}-templates.txt"));
        var generator = new SentenceGenerator(templates, words, language.English);
        // A seed per language, so changing one language's count leaves the other's sentences as they were.
        var sentences = generator.Generate(language.Count, options.Seed + (language.English ? 1 : 2));
        var heldOut = (int)Math.Round(sentences.Count * options.HeldOutFraction);
        var voices = catalog.Voices.Where(v => v.Language == language.Code).ToArray();
        var random = new Random(options.Seed + (language.English ? 11 : 12));
        var counts = new Dictionary<string, int> { ["train"] = 0, ["heldout"] = 0 };
        double seconds = 0;

        for (var index = 0; index < sentences.Count; index++)
        {
            // The generator's order is already random, so the first sentences are as good a held-out set as any.
            var split = index < heldOut ? "heldout" : "train";
            var order = voices.OrderBy(_ => random.Next()).ToArray();
            for (var take = 0; take < Math.Min(options.Takes, order.Length); take++)
            {
                var voice = order[take];
                var rate = options.Rates[random.Next(options.Rates.Count)];
                var pitch = options.Pitches[random.Next(options.Pitches.Count)];
                var id = string.Create(CultureInfo.InvariantCulture, $"{language.Code}-{index:D5}-{take}");
                EspeakNoiseSeed.Set(options.Seed, (language.English ? 0 : 1_000_000) + index * 16 + take);
                var (samples, marks) = await SynthesizeAsync(SynthesizerFor(rate, pitch), sentences[index], language.Code, voice.Id);
                var audioPath = Path.Combine("audio", id + ".s16");
                await File.WriteAllBytesAsync(Path.Combine(options.OutputDirectory, audioPath), MemoryMarshal.AsBytes(samples.AsSpan()).ToArray());
                var record = new UtteranceRecord(id, split, language.Code, voice.Id, rate, pitch, index, sentences[index],
                    EspeakSynthesizer.OutputSampleRate, samples.Length, audioPath,
                    [.. marks.Select(m => new object[] { m.SampleOffset, m.Phoneme, (int)m.Viseme })]);
                await manifest.WriteLineAsync(JsonSerializer.Serialize(record, jsonOptions));
                counts[split]++;
                seconds += samples.Length / (double)EspeakSynthesizer.OutputSampleRate;
            }
            if ((index + 1) % 100 == 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{language.Code}: {index + 1}/{sentences.Count} sentences, {clock.Elapsed.TotalSeconds:F0} s"));
        }
        summary[language.Code] = new Dictionary<string, object>
        {
            ["words"] = words.WordCount,
            ["templates"] = templates.Count,
            ["sentences"] = sentences.Count,
            ["heldOutSentences"] = heldOut,
            ["trainUtterances"] = counts["train"],
            ["heldOutUtterances"] = counts["heldout"],
            ["audioSeconds"] = Math.Round(seconds, 1),
        };
    }
}
foreach (var s in synthesizers.Values) s.Dispose();

summary["seed"] = options.Seed;
summary["takes"] = options.Takes;
summary["rates"] = options.Rates;
summary["pitches"] = options.Pitches;
summary["heldOutFraction"] = options.HeldOutFraction;
await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, "summary.json"),
    JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done in {clock.Elapsed.TotalSeconds:F0} s -> {options.OutputDirectory}"));
return 0;

static async Task<(short[] Samples, List<PhonemeMark> Marks)> SynthesizeAsync(
    EspeakSynthesizer synthesizer, string text, string language, string voice)
{
    using var stream = synthesizer.Start(new SpeechRequest(text, language, voice));
    var samples = new List<short>(48000 * 4);
    var marks = new List<PhonemeMark>();
    await foreach (var chunk in stream.Chunks.ReadAllAsync())
    {
        samples.AddRange(chunk.Samples);
        marks.AddRange(chunk.Marks);
    }
    return ([.. samples], marks);
}
