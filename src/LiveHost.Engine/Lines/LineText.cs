using System.Globalization;
using System.Text;

namespace LiveHost.Engine.Lines;

/// <summary>
/// The text rules of a line, applied before it is stored or queued:
/// <list type="bullet">
/// <item>Control characters (C0, DEL, C1) other than tab, line feed, vertical tab, form feed, carriage return and
/// next line are refused: none is spoken, and the synthesizer reads some as commands.</item>
/// <item>Unpaired UTF-16 surrogates are refused (not Unicode text).</item>
/// <item>Invisible formatting that changes nothing spoken or shown is removed: byte order mark, zero-width space,
/// word joiner and invisible operators, soft hyphen, bidirectional marks, embeddings, overrides and isolates.
/// Zero-width joiner and non-joiner stay (emoji sequences and some scripts need them).</item>
/// <item>What remains is trimmed; if nothing visible is left the text counts as empty.</item>
/// <item>Length is counted in user-perceived characters: extended grapheme clusters (UAX #29, what
/// <see cref="StringInfo"/> calls text elements), so "👍🏽" or "é" written as e + U+0301 is one character.</item>
/// </list>
/// </summary>
public static class LineText
{
    /// <summary>Why a text was refused, or <see cref="None"/>.</summary>
    public enum Problem
    {
        None,
        ControlCharacter,
        LoneSurrogate,
    }

    /// <summary>
    /// The text to store and speak (without removable invisible characters, trimmed), or the first problem and the
    /// 1-based position (in user-perceived characters) where it is.
    /// </summary>
    public static Problem Clean(string text, out string cleaned, out int position, out int codePoint)
    {
        ArgumentNullException.ThrowIfNull(text);
        cleaned = string.Empty;
        position = 0;
        codePoint = 0;
        var builder = new StringBuilder(text.Length);
        var index = 0;
        while (index < text.Length)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                position = PositionOf(text, index);
                codePoint = text[index];
                return Problem.LoneSurrogate;
            }
            if (Rune.IsControl(rune) && !IsWhitespaceControl(rune.Value))
            {
                position = PositionOf(text, index);
                codePoint = rune.Value;
                return Problem.ControlCharacter;
            }
            if (!IsRemovable(rune.Value)) builder.Append(text, index, consumed);
            index += consumed;
        }
        cleaned = builder.ToString().Trim();
        return Problem.None;
    }

    /// <summary>True when nothing in <paramref name="text"/> would be seen or heard.</summary>
    public static bool IsBlank(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune) && !Rune.IsControl(rune) && !IsInvisible(rune)) return false;
        }
        return true;
    }

    /// <summary>The length users see: extended grapheme clusters.</summary>
    public static int VisibleLength(string text) => new StringInfo(text).LengthInTextElements;

    private static bool IsWhitespaceControl(int value) => value is '\t' or '\n' or '\v' or '\f' or '\r' or 0x85;

    private static bool IsRemovable(int value) => value is
        0x00AD            // soft hyphen
        or 0x061C         // Arabic letter mark
        or 0x180E         // Mongolian vowel separator
        or 0x200B         // zero-width space
        or 0x200E or 0x200F                // left-to-right and right-to-left marks
        or (>= 0x202A and <= 0x202E)       // bidirectional embeddings and overrides
        or (>= 0x2060 and <= 0x2064)       // word joiner, invisible operators
        or (>= 0x2066 and <= 0x2069)       // bidirectional isolates
        or 0xFEFF;        // byte order mark, zero-width no-break space

    // Kept in the text but not visible on their own: joiners, format characters, and letters that render blank.
    private static bool IsInvisible(Rune rune) =>
        Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format
        || rune.Value is 0x034F or 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800
        || rune.Value is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF);

    private static int PositionOf(string text, int utf16Index) =>
        utf16Index == 0 ? 1 : new StringInfo(text[..utf16Index]).LengthInTextElements + 1;
}
