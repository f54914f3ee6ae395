using LiveHost.ControlPlane.Comments.Faq;
using Xunit.Abstractions;

namespace LiveHost.ControlPlane.Tests.Comments;

/// <summary>The matcher on the synthetic labelled sets in perf/LiveHost.Perf/Faq/data (at least 100 questions each).</summary>
public sealed class FaqAccuracyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("faq-en.json")]
    [InlineData("faq-zh.json")]
    public void Top_1_accuracy_on_the_labelled_set_is_at_least_85_percent(string file)
    {
        var set = FaqBenchmarkSet.Load(Path.Combine(RepositoryRoot(), "perf", "LiveHost.Perf", "Faq", "data", file));

        var result = set.Run(threshold: 0.3);

        foreach (var miss in result.Misses) output.WriteLine(miss);
        output.WriteLine($"{file}: {result.Top1Correct}/{result.Questions} = {result.Top1Accuracy:P1}; above threshold {result.CorrectAboveThreshold}; no synonyms: {set.Run(0.3, synonyms: false).Top1Accuracy:P1}");
        Assert.True(set.Tests.Count >= 100, $"{file} has {set.Tests.Count} questions");
        Assert.True(result.Top1Accuracy >= 0.85, $"{file}: top-1 accuracy {result.Top1Accuracy:P1}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LiveHost.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("no LiveHost.sln above " + AppContext.BaseDirectory);
    }
}
