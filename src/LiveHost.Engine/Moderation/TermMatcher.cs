using System.Globalization;

namespace LiveHost.Engine.Moderation;

/// <summary>
/// Finds blocked terms in a text. A term written in Han characters (or any CJK script) is matched as a phrase,
/// anywhere: <c>最佳</c> is found in <c>这是最佳选择</c>, while <c>最近</c> shares one character and is not. Any other term
/// is matched as whole words, case-insensitively and with runs of spaces collapsed: <c>100% safe</c> is found in
/// "It is 100%  SAFE!", and "safety" is not "safe". A hit that lies inside an occurrence of an allowed phrase
/// (<c>第一</c> inside <c>第一次</c>) does not count. Every list is applied whatever the line's language, so an
/// English claim in a Chinese line is caught too.
/// </summary>
public static class TermMatcher
{
    public static TermHit? FindFirst(string text, string field, IReadOnlyList<TermList> lists)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lists);
        var folded = Fold(text, out var map);
        TermHit? first = null;
        var firstIndex = int.MaxValue;
        foreach (var list in lists)
        {
            var allowed = list.Allowed.Select(a => Fold(a, out _)).Where(a => a.Length > 0).ToArray();
            foreach (var raw in list.Blocked)
            {
                var term = Fold(raw, out _);
                if (term.Length == 0) continue;
                var wholeWords = !IsCjk(term);
                for (var at = folded.IndexOf(term, StringComparison.Ordinal); at >= 0; at = folded.IndexOf(term, at + 1, StringComparison.Ordinal))
                {
                    if (wholeWords && !AtWordBoundaries(folded, at, term.Length)) continue;
                    if (InsideAllowed(folded, at, term.Length, allowed)) continue;
                    if (at < firstIndex)
                    {
                        firstIndex = at;
                        first = new TermHit(raw, list.Language, field, Position(text, map[at]));
                    }
                    break;
                }
            }
        }
        return first;
    }

    /// <summary>Lower case (invariant), full-width forms folded to ASCII (NFKC), runs of white space as one space; <paramref name="map"/> gives each folded index's index in the original.</summary>
    private static string Fold(string text, out int[] map)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var indexes = new List<int>(text.Length);
        var lastWasSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace) { builder.Append(' '); indexes.Add(i); }
                lastWasSpace = true;
                continue;
            }
            lastWasSpace = false;
            var piece = char.IsSurrogate(c) ? c.ToString() : c.ToString().Normalize(System.Text.NormalizationForm.FormKC);
            foreach (var p in piece.ToLowerInvariant())
            {
                builder.Append(p);
                indexes.Add(i);
            }
        }
        map = [.. indexes];
        return builder.ToString();
    }

    private static bool AtWordBoundaries(string text, int start, int length)
    {
        var before = start == 0 || !IsWordChar(text[start - 1]) || !IsWordChar(text[start]);
        var end = start + length;
        var after = end >= text.Length || !IsWordChar(text[end]) || !IsWordChar(text[end - 1]);
        return before && after;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) && !IsCjk(c);

    private static bool InsideAllowed(string text, int start, int length, string[] allowed)
    {
        foreach (var phrase in allowed)
        {
            for (var at = text.IndexOf(phrase, Math.Max(0, start + length - phrase.Length), StringComparison.Ordinal);
                 at >= 0 && at <= start;
                 at = text.IndexOf(phrase, at + 1, StringComparison.Ordinal))
            {
                if (at + phrase.Length >= start + length) return true;
            }
        }
        return false;
    }

    private static bool IsCjk(string term) => term.Any(IsCjk);

    /// <summary>Han, kana, Hangul and CJK punctuation: scripts written without spaces between words.</summary>
    public static bool IsCjk(char c) =>
        c is (>= '\u3000' and <= '\u9FFF') or (>= '\uAC00' and <= '\uD7AF') or (>= '\uF900' and <= '\uFAFF') or (>= '\uFF00' and <= '\uFF60');

    private static int Position(string text, int utf16Index) =>
        utf16Index == 0 ? 1 : new StringInfo(text[..utf16Index]).LengthInTextElements + 1;
}
