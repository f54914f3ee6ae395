using System.Text.Json;

namespace LiveHost.ControlPlane.Comments.Faq;

/// <summary>
/// A labelled FAQ set (entries and paraphrased test questions, each naming its entry) and the matcher's top-1 accuracy
/// on it: the share of test questions whose best-scoring entry is the labelled one, and how many of those also clear
/// the suggestion threshold. Used by <c>perf/ faq</c> and by a test that keeps the accuracy above the goal.
/// </summary>
public sealed record FaqBenchmarkSet(string Note, string Language, IReadOnlyList<FaqBenchmarkEntry> Entries, IReadOnlyList<FaqBenchmarkTest> Tests)
{
    public static FaqBenchmarkSet Load(string path) =>
        JsonSerializer.Deserialize<FaqBenchmarkSet>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
        ?? throw new InvalidDataException($"{path} is not an FAQ benchmark set");

    public FaqBenchmarkResult Run(double threshold, bool synonyms = true)
    {
        var matcher = new FaqMatcher(Entries.Select(e => new FaqEntry(e.Id, "bench", e.Questions, e.Answer, Language)), synonyms);
        var correct = 0;
        var suggested = 0;
        var misses = new List<string>();
        foreach (var test in Tests)
        {
            var best = matcher.Best(test.Q);
            if (best?.Entry.Id == test.Id)
            {
                correct++;
                if (best.Value.Score >= threshold) suggested++;
            }
            else
            {
                misses.Add($"{test.Q} -> {best?.Entry.Id ?? "none"} ({best?.Score:0.00}), want {test.Id}");
            }
        }
        return new FaqBenchmarkResult(Language, Tests.Count, correct, suggested, misses);
    }
}

public sealed record FaqBenchmarkEntry(string Id, IReadOnlyList<string> Questions, string Answer);

public sealed record FaqBenchmarkTest(string Q, string Id);

public sealed record FaqBenchmarkResult(string Language, int Questions, int Top1Correct, int CorrectAboveThreshold, IReadOnlyList<string> Misses)
{
    public double Top1Accuracy => Questions == 0 ? 0 : Top1Correct / (double)Questions;
}
