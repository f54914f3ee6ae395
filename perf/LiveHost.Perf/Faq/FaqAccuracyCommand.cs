using System.Globalization;
using System.Text;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.Perf.Cli;

namespace LiveHost.Perf.Faq;

/// <summary>
/// Top-1 accuracy of the FAQ matcher (<see cref="FaqMatcher"/>) on the synthetic labelled sets in <c>Faq/data</c>
/// (at least 100 paraphrased questions per language; goal 85%), with and without the English synonym table, and how
/// many correct matches clear the suggestion threshold. Prints a Markdown report; <c>--out FILE</c> also writes it.
/// </summary>
public sealed class FaqAccuracyCommand : IBenchmarkCommand
{
    public string Name => "faq";
    public string Summary => "FAQ matcher top-1 accuracy on the labelled English and Chinese sets (goal >= 85%)";
    public string Usage => "  --data DIR        folder holding faq-*.json (default: the sets shipped next to this command)\n" +
                           "  --threshold X     suggestion threshold, 0..1 (default 0.3, Comments:SuggestThreshold)\n" +
                           "  --out FILE        also write the Markdown report there";

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var data = arguments.Text("data", Path.Combine(AppContext.BaseDirectory, "Faq", "data"));
        var threshold = double.Parse(arguments.Text("threshold", "0.3"), CultureInfo.InvariantCulture);
        var output = arguments.Text("out", "");
        arguments.ThrowIfUnknown();
        var report = new StringBuilder();
        report.AppendLine("# FAQ matcher accuracy (issue 11)").AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Synthetic labelled sets (hand-written paraphrases, see each file's note); suggestion threshold {threshold}.").AppendLine();
        report.AppendLine("| set | questions | entries | top-1 correct | top-1 accuracy | correct and above threshold | top-1 without synonym table |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var passed = true;
        foreach (var file in Directory.GetFiles(data, "faq-*.json").Order(StringComparer.Ordinal))
        {
            var set = FaqBenchmarkSet.Load(file);
            var result = set.Run(threshold);
            var plain = set.Run(threshold, synonyms: false);
            passed &= result.Top1Accuracy >= 0.85;
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {Path.GetFileName(file)} | {result.Questions} | {set.Entries.Count} | {result.Top1Correct} | {result.Top1Accuracy:P1} | {result.CorrectAboveThreshold} | {plain.Top1Accuracy:P1} |");
            foreach (var miss in result.Misses) Console.Error.WriteLine($"{set.Language}: {miss}");
        }
        Console.Write(report);
        if (output.Length > 0) await File.WriteAllTextAsync(output, report.ToString(), cancellationToken);
        return passed ? 0 : 1;
    }
}
