namespace LiveHost.Speech;

/// <summary>
/// The voices clients may ask for, per language, and the espeak-ng voice behind each. Exactly one default per
/// language. Ids and languages compare case-insensitively.
/// </summary>
public sealed class VoiceCatalog
{
    private readonly VoiceInfo[] _voices;

    public VoiceCatalog(IEnumerable<VoiceInfo> voices)
    {
        ArgumentNullException.ThrowIfNull(voices);
        _voices = [.. voices];
        foreach (var language in _voices.Select(v => v.Language).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var defaults = _voices.Count(v => string.Equals(v.Language, language, StringComparison.OrdinalIgnoreCase) && v.IsDefault);
            if (defaults != 1) throw new ArgumentException($"Language '{language}' has {defaults} default voices; it needs exactly one.", nameof(voices));
        }
        var duplicate = _voices.GroupBy(v => v.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Voice id '{duplicate.Key}' is listed more than once.", nameof(voices));
    }

    /// <summary>
    /// English: en-us (default), en-gb, en-us-f. Mandarin: cmn (default), cmn-f. The Mandarin voices use espeak's
    /// cmn-latn-pinyin, which reads Hanzi and tone-numbered pinyin ("ni3 hao3"); plain "cmn" would spell latin
    /// text the English way and read tone digits aloud. espeak-ng names its British voice plain "en" (file gmw/en);
    /// "en-gb" is only a language tag that espeak_SetVoiceByName does not accept.
    /// </summary>
    public static VoiceCatalog CreateDefault() => new(
    [
        new VoiceInfo("en-us", "en", "en-us", IsDefault: true),
        new VoiceInfo("en-gb", "en", "en", IsDefault: false),
        new VoiceInfo("en-us-f", "en", "en-us+f3", IsDefault: false),
        new VoiceInfo("cmn", "zh", "cmn-latn-pinyin", IsDefault: true),
        new VoiceInfo("cmn-f", "zh", "cmn-latn-pinyin+f3", IsDefault: false),
    ]);

    public IReadOnlyList<VoiceInfo> Voices => _voices;

    public IEnumerable<string> Languages => _voices.Select(v => v.Language).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The voice <paramref name="voiceId"/> of <paramref name="language"/>, or the language's default when
    /// <paramref name="voiceId"/> is null or empty. False for an unknown language or voice, or a voice of another language.
    /// </summary>
    public bool TryResolve(string? language, string? voiceId, out VoiceInfo voice)
    {
        voice = null!;
        if (string.IsNullOrWhiteSpace(language)) return false;
        foreach (var candidate in _voices)
        {
            if (!string.Equals(candidate.Language, language, StringComparison.OrdinalIgnoreCase)) continue;
            var match = string.IsNullOrWhiteSpace(voiceId)
                ? candidate.IsDefault
                : string.Equals(candidate.Id, voiceId, StringComparison.OrdinalIgnoreCase);
            if (!match) continue;
            voice = candidate;
            return true;
        }
        return false;
    }
}
