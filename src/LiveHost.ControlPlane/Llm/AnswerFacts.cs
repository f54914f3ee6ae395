using System.Globalization;
using System.Text.RegularExpressions;

namespace LiveHost.ControlPlane.Llm;

/// <summary>
/// The numbers the seller's own data states (product prices, names and bullets, the FAQ answers given to the model).
/// A sentence that states any other number (a price, a size, a percentage...) is refused: the model invented it.
/// Numbers compare by value ("29.90" = "29.9"; "1,299" = "1299"; "twenty-nine ninety" = "29.9"; "九十九元" = "99 yuan"),
/// whether written in digits or spelled out in English or Chinese (<see cref="SpelledNumbers"/>); a spoken number passes
/// when any value it may mean is in the data ("nine ninety-nine" is 9.99 or 999; "五折" and "half price" are 50%).
/// </summary>
public sealed partial class AnswerFacts
{
    private readonly HashSet<decimal> _known = [];

    public AnswerFacts(IEnumerable<string> sellerTexts)
    {
        foreach (var text in sellerTexts)
        {
            foreach (var mention in Mentions(text)) _known.UnionWith(mention.Values.Select(Normal));
        }
    }

    /// <summary>The first number in <paramref name="sentence"/> (digits or words) absent from the seller's data, or null.</summary>
    public string? FirstUnknownNumber(string sentence) =>
        Mentions(sentence).FirstOrDefault(m => m.Values.Count == 0 || !m.Values.Any(v => _known.Contains(Normal(v))))?.Text;

    /// <summary>The numbers a text states, in order: in digits (a value, or none when unreadable) and spelled out.</summary>
    private static List<NumberMention> Mentions(string text)
    {
        var mentions = new List<NumberMention>(SpelledNumbers.Find(text));
        foreach (Match match in NumberPattern().Matches(text))
        {
            mentions.Add(new NumberMention(match.Index, match.Value, TryValue(match.Value, out var value) ? [value] : []));
        }
        mentions.Sort((a, b) => a.Index.CompareTo(b.Index));
        return mentions;
    }

    private static decimal Normal(decimal value) => value / 1.000000000000000000000000000000000m; // drops trailing zeros: 29.90 and 29.9 are one value

    private static bool TryValue(string raw, out decimal value)
    {
        var plain = raw.Normalize(System.Text.NormalizationForm.FormKC).Replace(",", "", StringComparison.Ordinal);
        return decimal.TryParse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    // Digits (ASCII or full-width), with thousands separators and a decimal part.
    [GeneratedRegex(@"[0-9０-９]+(?:,[0-9]{3})*(?:\.[0-9０-９]+)?")]
    private static partial Regex NumberPattern();
}
