using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// A caption broken into lines that fit a width, grouped into pages of at most <c>maxLines</c> lines. Built once
/// when the caption text changes and then drawn every frame without allocating. Lines break at spaces, and between
/// any two CJK characters (never before closing punctuation); a word longer than the line is cut where it overflows.
/// When the caption needs more than one page, every line leaves room for a trailing "…", which is drawn after the
/// last line of every page but the final one.
/// </summary>
public sealed class CaptionLayout : IDisposable
{
    private readonly List<SKTextBlob?> _blobs = [];
    private readonly List<float> _widths = [];
    private readonly List<int> _starts = [];

    private CaptionLayout(string text, int maxLines, int characterCount)
    {
        Text = text;
        MaxLines = maxLines;
        CharacterCount = characterCount;
    }

    public string Text { get; }

    public int MaxLines { get; }

    public int LineCount => _blobs.Count;

    public int PageCount => LineCount == 0 ? 0 : (LineCount + MaxLines - 1) / MaxLines;

    /// <summary>Number of kept characters (code points), for mapping speaking progress to a page.</summary>
    public int CharacterCount { get; }

    public SKTextBlob? LineBlob(int line) => _blobs[line];

    public float LineWidth(int line) => _widths[line];

    public static CaptionLayout Build(string text, TextShaper shaper, float maxWidth, int maxLines, float ellipsisWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLines);
        var shaped = ShapedText.Shape(text, shaper);
        var layout = new CaptionLayout(text, maxLines, shaped.Count);
        var lines = Wrap(shaped, maxWidth);
        if (lines.Count > maxLines) lines = Wrap(shaped, Math.Max(maxWidth * 0.5f, maxWidth - ellipsisWidth));

        foreach (var (start, end) in lines)
        {
            layout._blobs.Add(shaper.BuildBlob(shaped, start, end));
            layout._widths.Add(shaped.Width(start, end));
            layout._starts.Add(start);
        }
        return layout;
    }

    /// <summary>The page holding the character at <paramref name="progress"/> (0..1) of the caption.</summary>
    public int PageAt(float progress)
    {
        if (LineCount == 0) return 0;
        if (!float.IsFinite(progress)) progress = 0;
        var character = (int)(Math.Clamp(progress, 0f, 1f) * CharacterCount);
        var line = 0;
        while (line + 1 < _starts.Count && _starts[line + 1] <= character) line++;
        return line / MaxLines;
    }

    /// <summary>Widest line of a page.</summary>
    public float PageWidth(int page)
    {
        var width = 0f;
        var end = Math.Min(LineCount, (page + 1) * MaxLines);
        for (var i = page * MaxLines; i < end; i++) width = Math.Max(width, _widths[i]);
        return width;
    }

    public int LinesOnPage(int page) => Math.Clamp(LineCount - page * MaxLines, 0, MaxLines);

    /// <summary>Greedy line breaking: [start, end) ranges of the shaped text, trailing spaces trimmed.</summary>
    public static List<(int Start, int End)> Wrap(ShapedText text, float maxWidth)
    {
        var lines = new List<(int, int)>();
        var cps = text.Codepoints;
        var n = text.Count;
        var i = 0;
        while (i < n)
        {
            while (i < n && cps[i] == ' ') i++;
            if (i >= n) break;
            var lineStart = i;
            var width = 0f;
            var lastBreak = -1;
            var end = -1;
            while (i < n)
            {
                var cp = cps[i];
                if (cp == ShapedText.LineFeed)
                {
                    end = i;
                    i++;
                    break;
                }
                if (i > lineStart && CanBreakBefore(cps[i - 1], cp)) lastBreak = i;
                var advance = text.Advances[i];
                if (width + advance > maxWidth && i > lineStart)
                {
                    if (cp == ' ') end = i;
                    else if (lastBreak > lineStart) end = i = lastBreak;
                    else
                    {
                        // No break opportunity on this line: cut the word here, but carry one character over
                        // rather than start the next line with closing punctuation.
                        if (IsClosingPunctuation(cp) && i - 1 > lineStart) i--;
                        end = i;
                    }
                    break;
                }
                width += advance;
                i++;
            }
            if (end < 0) end = i;
            var trimmed = end;
            while (trimmed > lineStart && cps[trimmed - 1] == ' ') trimmed--;
            if (trimmed > lineStart) lines.Add((lineStart, trimmed));
        }
        return lines;
    }

    private static bool CanBreakBefore(int previous, int current)
    {
        if (current == ' ' || IsClosingPunctuation(current)) return false;
        if (previous == ' ') return true;
        return IsCjk(current) || (IsCjk(previous) && !IsOpeningPunctuation(previous));
    }

    private static bool IsCjk(int cp) =>
        cp is >= 0x2E80 and <= 0x9FFF or >= 0xAC00 and <= 0xD7AF or >= 0xF900 and <= 0xFAFF
            or >= 0xFF00 and <= 0xFFEF or >= 0x20000 and <= 0x3FFFF;

    private static bool IsClosingPunctuation(int cp) =>
        cp is '，' or '。' or '、' or '；' or '：' or '！' or '？' or '）' or '」' or '』' or '】' or '》' or '〉' or '”' or '’'
            or '…' or '・' or 'ー' or ',' or '.' or '!' or '?' or ';' or ':' or ')' or ']' or '}' or '%';

    private static bool IsOpeningPunctuation(int cp) =>
        cp is '（' or '「' or '『' or '【' or '《' or '〈' or '“' or '‘' or '(' or '[' or '{';

    public void Dispose()
    {
        foreach (var blob in _blobs) blob?.Dispose();
        _blobs.Clear();
    }
}
