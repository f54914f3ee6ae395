using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// Turns text into positioned glyph runs at one font size, switching typeface per run through a
/// <see cref="FontFallback"/>. Layout is simple advance-by-advance placement (no kerning or complex shaping),
/// which is right for the Latin and Chinese captions LiveHost shows. Not thread-safe.
/// </summary>
public sealed class TextShaper : IDisposable
{
    private readonly List<SKFont> _fonts = [];
    private readonly SKTextBlobBuilder _builder = new();
    private readonly bool _ownsFallback;

    public TextShaper(FontFallback fallback, float size, bool ownsFallback = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Fallback = fallback;
        Size = size;
        _ownsFallback = ownsFallback;
    }

    public FontFallback Fallback { get; }

    public float Size { get; }

    /// <summary>The font for a fallback typeface at this shaper's size (created once, then reused).</summary>
    public SKFont FontAt(int face)
    {
        while (_fonts.Count <= face)
        {
            _fonts.Add(new SKFont(Fallback.TypefaceAt(_fonts.Count), Size)
            {
                Subpixel = true,
                Edging = SKFontEdging.Antialias,
                Hinting = SKFontHinting.Slight,
            });
        }
        return _fonts[face];
    }

    public float Advance(int face, ushort glyph)
    {
        Span<ushort> glyphs = [glyph];
        Span<float> widths = stackalloc float[1];
        FontAt(face).GetGlyphWidths(glyphs, widths, Span<SKRect>.Empty, null);
        return widths[0];
    }

    /// <summary>
    /// One text blob for glyphs [start, end) of a shaped text, starting at x = 0 on the baseline y = 0;
    /// null when the range holds nothing drawable.
    /// </summary>
    public SKTextBlob? BuildBlob(ShapedText text, int start, int end)
    {
        var x = 0f;
        var runStart = start;
        var added = false;
        Span<float> positions = stackalloc float[0];
        float[]? rented = null;
        try
        {
            var longest = end - start;
            if (longest > 256)
            {
                rented = System.Buffers.ArrayPool<float>.Shared.Rent(longest);
                positions = rented;
            }
            else
            {
                positions = stackalloc float[Math.Max(1, longest)];
            }

            while (runStart < end)
            {
                var face = text.Faces[runStart];
                var runEnd = runStart;
                while (runEnd < end && text.Faces[runEnd] == face) runEnd++;
                if (face >= 0)
                {
                    var length = runEnd - runStart;
                    for (var i = 0; i < length; i++)
                    {
                        positions[i] = x;
                        x += text.Advances[runStart + i];
                    }
                    _builder.AddHorizontalRun(text.Glyphs.AsSpan(runStart, length), FontAt(face), positions[..length], 0f);
                    added = true;
                }
                runStart = runEnd;
            }
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<float>.Shared.Return(rented);
        }

        var blob = _builder.Build();
        if (added) return blob;
        blob?.Dispose();
        return null;
    }

    /// <summary>Tight bounds of the glyph outlines of [start, end), relative to x = 0 on the baseline.</summary>
    public SKRect MeasureInk(ShapedText text, int start, int end)
    {
        var ink = SKRect.Empty;
        var x = 0f;
        Span<ushort> glyph = stackalloc ushort[1];
        Span<float> width = stackalloc float[1];
        Span<SKRect> bounds = stackalloc SKRect[1];
        for (var i = start; i < end; i++)
        {
            var face = text.Faces[i];
            if (face >= 0)
            {
                glyph[0] = text.Glyphs[i];
                FontAt(face).GetGlyphWidths(glyph, width, bounds, null);
                var box = bounds[0];
                if (!box.IsEmpty)
                {
                    box.Offset(x, 0);
                    ink = ink.IsEmpty ? box : SKRect.Union(ink, box);
                }
            }
            x += text.Advances[i];
        }
        return ink;
    }

    public void Dispose()
    {
        foreach (var font in _fonts) font.Dispose();
        _fonts.Clear();
        _builder.Dispose();
        if (_ownsFallback) Fallback.Dispose();
    }
}
