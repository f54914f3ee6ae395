using System.Text;
using System.Text.RegularExpressions;

namespace VisemeDataset;

/// <summary>
/// Fills sentence templates (<c>{slot}</c> placeholders) with random words from <see cref="WordLists"/>.
/// Deterministic for a given seed: <see cref="Random"/> with a seed uses .NET's fixed legacy algorithm.
/// </summary>
public sealed partial class SentenceGenerator
{
    private readonly IReadOnlyList<string> _templates;
    private readonly WordLists _words;
    private readonly bool _english;

    public SentenceGenerator(IReadOnlyList<string> templates, WordLists words, bool english)
    {
        _templates = templates;
        _words = words;
        _english = english;
        foreach (var template in templates)
        {
            foreach (Match m in SlotPattern().Matches(template)) _ = words[m.Groups[1].Value];
        }
    }

    /// <summary>Template lines of a file: non-empty, not starting with '#'.</summary>
    public static IReadOnlyList<string> LoadTemplates(string path) =>
        [.. File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    /// <summary>
    /// <paramref name="count"/> distinct sentences. Gives up (returns fewer) when the templates cannot make that
    /// many distinct ones.
    /// </summary>
    public IReadOnlyList<string> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>(count);
        var attempts = 0;
        while (result.Count < count && attempts++ < count * 50)
        {
            var sentence = Fill(_templates[random.Next(_templates.Count)], random);
            if (seen.Add(sentence)) result.Add(sentence);
        }
        return result;
    }

    private string Fill(string template, Random random)
    {
        var filled = SlotPattern().Replace(template, m =>
        {
            var list = _words[m.Groups[1].Value];
            return list[random.Next(list.Count)];
        });
        return _english ? FixArticles(filled) : filled;
    }

    // "a apple" -> "an apple"; the templates write "a" whatever follows.
    private static string FixArticles(string sentence)
    {
        var words = sentence.Split(' ');
        var sb = new StringBuilder(sentence.Length + 8);
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            if (word is "a" && i + 1 < words.Length && words[i + 1].Length > 0 && "aeiouAEIOU".Contains(words[i + 1][0]))
                word = "an";
            if (i > 0) sb.Append(' ');
            sb.Append(word);
        }
        var text = sb.ToString();
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    [GeneratedRegex(@"\{([a-z]+)\}")]
    private static partial Regex SlotPattern();
}
