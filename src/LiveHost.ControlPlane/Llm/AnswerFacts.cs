using System.Globalization;
using System.Text.RegularExpressions;

namespace LiveHost.ControlPlane.Llm;

/// <summary>
/// The numbers the seller's own data states (product prices, names and bullets, the FAQ answers given to the model).
/// A sentence that states any other number (a price, a size, a percentage...) is refused: the model invented it.
/// Numbers compare by value ("29.90" = "29.9"; "1,299" = "1299"). Spelled-out numbers are not checked.
/// </summary>
public sealed partial class AnswerFacts
{
    private readonly HashSet<decimal> _known = [];

    public AnswerFacts(IEnumerable<string> sellerTexts)
    {
        foreach (var text in sellerTexts)
        {
            foreach (var number in Numbers(text)) _known.Add(number);
        }
    }

    /// <summary>The first number in <paramref name="sentence"/> absent from the seller's data, or null.</summary>
    public string? FirstUnknownNumber(string sentence)
    {
        foreach (Match match in NumberPattern().Matches(sentence))
        {
            if (!TryValue(match.Value, out var value) || !_known.Contains(value)) return match.Value;
        }
        return null;
    }

    private static IEnumerable<decimal> Numbers(string text)
    {
        foreach (Match match in NumberPattern().Matches(text))
        {
            if (TryValue(match.Value, out var value)) yield return value;
        }
    }

    private static bool TryValue(string raw, out decimal value)
    {
        var plain = raw.Normalize(System.Text.NormalizationForm.FormKC).Replace(",", "", StringComparison.Ordinal);
        if (!decimal.TryParse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)) return false;
        value = value / 1.000000000000000000000000000000000m; // drops trailing zeros: 29.90 and 29.9 are one value
        return true;
    }

    // Digits (ASCII or full-width), with thousands separators and a decimal part.
    [GeneratedRegex(@"[0-9０-９]+(?:,[0-9]{3})*(?:\.[0-9０-９]+)?")]
    private static partial Regex NumberPattern();
}
