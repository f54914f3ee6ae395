namespace LiveHost.Speech.Flite;

/// <summary>
/// Splits a line into the pieces Flite synthesizes one at a time. Flite analyses a whole utterance (text, phrasing,
/// durations, parameters) before its first sample, which for a 300-word line takes seconds; sentence by sentence, the
/// first audio waits only for the first sentence, and the streaming callback delivers it while it is synthesized.
/// </summary>
internal static class FliteText
{
    /// <summary>Sentences (ending at . ! ? ; : followed by a space), each at least <paramref name="minLength"/> characters where the text allows; blank pieces are dropped.</summary>
    public static IEnumerable<string> Sentences(string text, int minLength = 12)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is not ('.' or '!' or '?' or ';' or ':')) continue;
            if (i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1])) continue;
            if (i + 1 - start < minLength) continue;
            var piece = text[start..(i + 1)].Trim();
            start = i + 1;
            if (piece.Length > 0) yield return piece;
        }
        var rest = text[start..].Trim();
        if (rest.Length > 0) yield return rest;
    }
}
