namespace LiveHost.Speech;

/// <summary>How espeak-ng speaks, which voice each language defaults to, and the speech servers' voices. Configuration section <c>Speech</c>.</summary>
public sealed class SpeechOptions
{
    public const string SectionName = "Speech";

    /// <summary>Speaking rate in words per minute, 80 to 450 (espeak-ng's limits). Default 175.</summary>
    public int RateWordsPerMinute { get; set; } = 175;

    /// <summary>Base pitch, 0 to 100; 50 is the voice's normal pitch.</summary>
    public int Pitch { get; set; } = 50;

    /// <summary>Pitch range (intonation), 0 (monotone) to 100; 50 is normal.</summary>
    public int PitchRange { get; set; } = 50;

    /// <summary>Volume, 0 to 200; 100 is normal, more may distort.</summary>
    public int Volume { get; set; } = 100;

    /// <summary>
    /// The folder that contains <c>espeak-ng-data</c> (not that folder itself), or null for the library's
    /// built-in location (/usr/lib/x86_64-linux-gnu on Debian). espeak-ng reads it once per process, so the first
    /// synthesizer created decides.
    /// </summary>
    public string? DataPath { get; set; }

    /// <summary>
    /// How long espeak-ng's pieces of audio are, in milliseconds (10 to 1000). Shorter pieces reach listeners
    /// sooner and let <see cref="SpeechStream.Cancel"/> act sooner; espeak-ng's own default is 60.
    /// </summary>
    public int BufferMilliseconds { get; set; } = 60;

    /// <summary>
    /// The voice a line of each language gets when it names none (and what a room starts with). English defaults to
    /// Flite's slt (see README, "Voices"); Mandarin to espeak-ng's cmn. Any voice of the language may be named,
    /// a configured speech server's voice included.
    /// </summary>
    public Dictionary<string, string> DefaultVoices { get; set; } = new(StringComparer.OrdinalIgnoreCase) { ["en"] = "flite-slt", ["zh"] = "cmn" };

    /// <summary>Voices served by speech servers, by the voice id clients send (<c>Speech:Voices:{name}</c>); none by default.</summary>
    public Dictionary<string, SpeechVoiceOptions> Voices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every problem with these options, as messages that name the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var builtIn = SpeechVoices.BuiltInVoices;
        var languages = builtIn.Select(v => v.Language).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        foreach (var (name, voice) in Voices)
        {
            if (builtIn.Any(v => string.Equals(v.Id, name, StringComparison.OrdinalIgnoreCase)))
                errors.Add($"Speech:Voices:{name}: the voice name '{name}' is used twice (it is a built-in voice); give the server's voice another name.");
            else if (voice is null) errors.Add($"Speech:Voices:{name} is empty.");
            else errors.AddRange(voice.Validate(name, languages));
        }
        foreach (var (language, id) in DefaultVoices)
        {
            var known = builtIn.Any(v => string.Equals(v.Id, id, StringComparison.OrdinalIgnoreCase) && string.Equals(v.Language, language, StringComparison.OrdinalIgnoreCase))
                || (Voices.TryGetValue(id ?? "", out var configured) && configured is not null && string.Equals(configured.Language, language, StringComparison.OrdinalIgnoreCase));
            if (!known) errors.Add($"Speech:DefaultVoices:{language} '{id}' is not a voice of language '{language}'.");
        }
        foreach (var (name, voice) in Voices)
        {
            if (voice?.FallbackVoice is not { Length: > 0 } fallback) continue;
            if (!builtIn.Any(v => string.Equals(v.Id, fallback, StringComparison.OrdinalIgnoreCase) && string.Equals(v.Language, voice.Language, StringComparison.OrdinalIgnoreCase)))
                errors.Add($"Speech:Voices:{name}:FallbackVoice '{fallback}' is not a local voice of language '{voice.Language}'.");
        }
        if (RateWordsPerMinute is < 80 or > 450) errors.Add($"Speech:RateWordsPerMinute must be 80 to 450 (was {RateWordsPerMinute}).");
        if (Pitch is < 0 or > 100) errors.Add($"Speech:Pitch must be 0 to 100 (was {Pitch}).");
        if (PitchRange is < 0 or > 100) errors.Add($"Speech:PitchRange must be 0 to 100 (was {PitchRange}).");
        if (Volume is < 0 or > 200) errors.Add($"Speech:Volume must be 0 to 200 (was {Volume}).");
        if (BufferMilliseconds is < 10 or > 1000) errors.Add($"Speech:BufferMilliseconds must be 10 to 1000 (was {BufferMilliseconds}).");
        if (DataPath is not null && !Directory.Exists(Path.Combine(DataPath, "espeak-ng-data")))
            errors.Add($"Speech:DataPath '{DataPath}' has no espeak-ng-data folder in it.");
        return errors;
    }
}
