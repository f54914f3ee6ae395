using System.Text;
using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// Picks, for every character of a text, a typeface that really has a glyph for it, so mixed Latin and Chinese
/// text renders without tofu boxes. The primary typeface is tried first, then typefaces already in use, then
/// fontconfig's answer for the character (asked with a Chinese language hint, so Hanzi get Simplified Chinese
/// forms), and finally the Noto Sans CJK collection on disk. Characters nothing covers are reported as unresolved
/// and left out by the caller rather than drawn as boxes. Not thread-safe: one per compositor.
/// </summary>
public sealed class FontFallback : IDisposable
{
    /// <summary>Where Debian's fonts-noto-cjk puts the collections; face 2 of each is Simplified Chinese.</summary>
    public const string NotoCjkRegularPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    public const string NotoCjkBoldPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
    private const int NotoCjkSimplifiedChineseFace = 2;
    private const string NotoCjkScFamily = "Noto Sans CJK SC";

    // fontconfig ranks languages with the last entry first; "zh-CN" (not "zh-Hans") is what selects the SC face.
    private static readonly string[] ChineseHint = ["zh-CN"];

    private readonly List<SKTypeface> _typefaces = [];
    private readonly List<SKFont> _glyphFonts = [];
    private readonly List<SKTypeface> _owned = [];
    private readonly Dictionary<int, int> _resolved = [];
    private readonly SKFontStyle _style;
    private bool _notoTried;

    private FontFallback(SKTypeface primary, SKFontStyle style)
    {
        _style = style;
        Add(primary);
    }

    /// <summary>
    /// The fallback chain for a room: Chinese rooms start from Noto Sans CJK SC (it also has good Latin glyphs),
    /// other rooms from the system sans-serif, reaching CJK through fallback.
    /// </summary>
    public static FontFallback Create(string? language, bool bold)
    {
        var style = bold ? SKFontStyle.Bold : SKFontStyle.Normal;
        var fallback = new FontFallback(PrimaryFor(language, style, out var owned), style);
        if (owned) fallback._owned.Add(fallback._typefaces[0]);
        return fallback;
    }

    /// <summary>A chain whose first choice is the Noto Sans CJK SC face, whatever the room's language.</summary>
    public static FontFallback CreateCjkFirst(bool bold)
    {
        var style = bold ? SKFontStyle.Bold : SKFontStyle.Normal;
        var fallback = new FontFallback(PrimaryFor("zh", style, out var owned), style);
        if (owned) fallback._owned.Add(fallback._typefaces[0]);
        return fallback;
    }

    public SKTypeface Primary => _typefaces[0];

    public int TypefaceCount => _typefaces.Count;

    public SKTypeface TypefaceAt(int index) => _typefaces[index];

    /// <summary>Index of a typeface that has a glyph for the code point, and that glyph; -1 when none has one.</summary>
    public int Resolve(int codepoint, out ushort glyph)
    {
        if (_resolved.TryGetValue(codepoint, out var known))
        {
            glyph = known >= 0 ? _glyphFonts[known].GetGlyph(codepoint) : (ushort)0;
            return known;
        }

        var index = Find(codepoint, out glyph);
        _resolved[codepoint] = index;
        return index;
    }

    /// <summary>The typeface that would draw this character, or null if none would (tests and diagnostics).</summary>
    public SKTypeface? TypefaceFor(int codepoint)
    {
        var index = Resolve(codepoint, out _);
        return index >= 0 ? _typefaces[index] : null;
    }

    private int Find(int codepoint, out ushort glyph)
    {
        for (var i = 0; i < _glyphFonts.Count; i++)
        {
            glyph = _glyphFonts[i].GetGlyph(codepoint);
            if (glyph != 0) return i;
        }

        if (Rune.IsValid(codepoint))
        {
            var matched = SKFontManager.Default.MatchCharacter(Primary.FamilyName, _style, ChineseHint, codepoint);
            if (matched is not null && IndexOf(matched) < 0)
            {
                var index = Add(matched);
                glyph = _glyphFonts[index].GetGlyph(codepoint);
                if (glyph != 0) return index;
            }
        }

        if (!_notoTried)
        {
            _notoTried = true;
            var noto = LoadNotoCjk(_style);
            if (noto is not null)
            {
                _owned.Add(noto);
                var index = Add(noto);
                glyph = _glyphFonts[index].GetGlyph(codepoint);
                if (glyph != 0) return index;
            }
        }

        glyph = 0;
        return -1;
    }

    private int IndexOf(SKTypeface typeface)
    {
        for (var i = 0; i < _typefaces.Count; i++)
        {
            if (_typefaces[i].Handle == typeface.Handle) return i;
        }
        return -1;
    }

    private int Add(SKTypeface typeface)
    {
        _typefaces.Add(typeface);
        _glyphFonts.Add(new SKFont(typeface, 12f));
        return _typefaces.Count - 1;
    }

    private static SKTypeface PrimaryFor(string? language, SKFontStyle style, out bool owned)
    {
        owned = false;
        if (AiLabel.IsChinese(language))
        {
            var sc = SKFontManager.Default.MatchFamily(NotoCjkScFamily, style);
            if (sc is not null && sc.FamilyName == NotoCjkScFamily) return sc;
            var noto = LoadNotoCjk(style);
            if (noto is not null)
            {
                owned = true;
                return noto;
            }
        }
        return SKFontManager.Default.MatchFamily("sans-serif", style) ?? SKTypeface.Default;
    }

    private static SKTypeface? LoadNotoCjk(SKFontStyle style)
    {
        var path = style.Weight >= (int)SKFontStyleWeight.SemiBold ? NotoCjkBoldPath : NotoCjkRegularPath;
        return File.Exists(path) ? SKTypeface.FromFile(path, NotoCjkSimplifiedChineseFace) : null;
    }

    public void Dispose()
    {
        foreach (var font in _glyphFonts) font.Dispose();
        _glyphFonts.Clear();
        // Typefaces from the font manager are shared process-wide (SkiaSharp hands out one wrapper per native
        // typeface), so only the ones this instance loaded from disk are disposed.
        foreach (var typeface in _owned) typeface.Dispose();
        _owned.Clear();
        _typefaces.Clear();
    }
}
