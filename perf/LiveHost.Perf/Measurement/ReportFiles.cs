using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveHost.Perf.Measurement;

/// <summary>Writes a benchmark's markdown report and, beside it, its raw result as JSON under the same dated stem.</summary>
public static class ReportFiles
{
    /// <summary>Indented, and NaN/Infinity written as names: a distribution of no samples must not fail the write.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <param name="markdown">Makes the report from the JSON file's name (reports point at their raw data).</param>
    /// <returns>The markdown and JSON paths.</returns>
    public static async Task<(string Markdown, string Json)> WriteAsync<TResult>(
        string folder, string stem, TResult result, Func<string, string> markdown, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var markdownPath = Path.Combine(folder, stem + ".md");
        var jsonPath = Path.Combine(folder, stem + ".json");
        await File.WriteAllTextAsync(markdownPath, markdown(Path.GetFileName(jsonPath)), cancellationToken);
        await using (var file = File.Create(jsonPath))
        {
            await JsonSerializer.SerializeAsync(file, result, json, cancellationToken);
        }
        return (markdownPath, jsonPath);
    }
}
