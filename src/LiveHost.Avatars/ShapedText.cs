using System.Globalization;
using System.Text;

namespace LiveHost.Avatars;

/// <summary>
/// A text turned into drawable glyphs: one entry per kept code point, with the fallback typeface chosen for it, its
/// glyph id and advance. Characters no installed font covers, and control characters, are dropped here; runs of
/// white space collapse to one space; a line feed is kept as a forced line break (glyph 0, advance 0).
/// </summary>
public sealed class ShapedText
{
    public const int LineFeed = '\n';

    private ShapedText(int[] codepoints, int[] faces, ushort[] glyphs, float[] advances, int count)
    {
        Codepoints = codepoints;
        Faces = faces;
        Glyphs = glyphs;
        Advances = advances;
        Count = count;
    }

    public int Count { get; }

    /// <summary>The kept code points (after clean-up), for line breaking.</summary>
    public int[] Codepoints { get; }

    /// <summary>Index of the fallback typeface per code point (-1 for a forced line break).</summary>
    public int[] Faces { get; }

    public ushort[] Glyphs { get; }

    public float[] Advances { get; }

    public static ShapedText Shape(string text, TextShaper shaper)
    {
        var capacity = text.Length;
        var codepoints = new int[capacity];
        var faces = new int[capacity];
        var glyphs = new ushort[capacity];
        var advances = new float[capacity];
        var count = 0;
        var lastWasSpace = true; // also drops leading spaces

        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            if (value == LineFeed)
            {
                if (count > 0 && codepoints[count - 1] == ' ') count--;
                codepoints[count] = LineFeed;
                faces[count] = -1;
                glyphs[count] = 0;
                advances[count] = 0;
                count++;
                lastWasSpace = true;
                continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                if (lastWasSpace) continue;
                value = ' ';
            }
            else
            {
                var category = Rune.GetUnicodeCategory(rune);
                if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                    or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
                {
                    continue;
                }
            }

            var face = shaper.Fallback.Resolve(value, out var glyph);
            if (face < 0) continue; // nothing can draw it: leave it out rather than show a box

            codepoints[count] = value;
            faces[count] = face;
            glyphs[count] = glyph;
            advances[count] = shaper.Advance(face, glyph);
            count++;
            lastWasSpace = value == ' ';
        }

        while (count > 0 && codepoints[count - 1] is ' ' or LineFeed) count--;
        return new ShapedText(codepoints, faces, glyphs, advances, count);
    }

    /// <summary>Sum of advances over [start, end).</summary>
    public float Width(int start, int end)
    {
        var width = 0f;
        for (var i = start; i < end; i++) width += Advances[i];
        return width;
    }
}
