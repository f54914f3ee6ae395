namespace LiveHost.Speech.Espeak;

/// <summary>
/// What text espeak-ng may see. espeak-ng reads commands out of plain text, even without espeakSSML or
/// espeakPHONEMES: Ctrl-A (U+0001) starts an embedded command (<c>0A</c> volume, <c>450S</c> rate, <c>P</c> pitch,
/// <c>R</c> range, <c>H</c> echo, <c>T</c> tone, <c>B</c> punctuation, <c>V</c> voice, ...) whose effect outlives the
/// line, and Ctrl-B (U+0002) switches to phoneme input. No control character has any use in spoken text, so every
/// one (C0, DEL and C1) is replaced by a space before the text reaches the library; tabs and line breaks stay pauses.
/// </summary>
internal static class EspeakText
{
    /// <summary><paramref name="text"/> with every control character replaced by a space (same length).</summary>
    public static string WithoutControls(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = IndexOfControl(text);
        if (first < 0) return text;
        return string.Create(text.Length, (text, first), static (span, state) =>
        {
            state.text.AsSpan().CopyTo(span);
            for (var i = state.first; i < span.Length; i++)
            {
                if (char.IsControl(span[i])) span[i] = ' ';
            }
        });
    }

    private static int IndexOfControl(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsControl(text[i])) return i;
        }
        return -1;
    }
}
