namespace LiveHost.Speech.Espeak;

/// <summary>
/// espeak-ng keeps all of its state (voice, parameters, callback, output buffers) in C globals, one set per process.
/// This is the one managed mirror of that: a process-wide gate that every <see cref="EspeakSynthesizer"/> holds
/// while it touches the library, and what the library was last set to. It is static because the thing it
/// guards is; an instance field could not stop two synthesizers from corrupting each other.
/// </summary>
internal static unsafe class EspeakProcess
{
    public static readonly Lock Gate = new();

    private static bool s_initialized;
    private static int s_sampleRate;
    private static string? s_dataPath;

    /// <summary>Initializes espeak-ng once per process (under <see cref="Gate"/>); returns its sample rate.</summary>
    /// <exception cref="SpeechEngineUnavailableException">The library or its data could not be loaded.</exception>
    public static int EnsureInitialized(string? dataPath, int bufferMilliseconds, out string? initializedDataPath)
    {
        lock (Gate)
        {
            if (!s_initialized)
            {
                int rate;
                try
                {
                    rate = EspeakNative.Initialize(
                        EspeakNative.AudioOutputSynchronous,
                        bufferMilliseconds,
                        dataPath,
                        EspeakNative.InitializePhonemeEvents | EspeakNative.InitializeDontExit);
                }
                catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
                {
                    throw new SpeechEngineUnavailableException(
                        $"espeak-ng's library ({EspeakNative.LibraryName}) could not be loaded: {ex.Message} " +
                        "Install it with: apt-get install -y espeak-ng libespeak-ng1", ex);
                }
                if (rate <= 0)
                {
                    throw new SpeechEngineUnavailableException(
                        $"espeak-ng failed to initialize (espeak_Initialize returned {rate}; data path " +
                        $"{dataPath ?? "(built-in)"}). Install or repair it with: apt-get install -y espeak-ng libespeak-ng1 espeak-ng-data");
                }
                EspeakNative.SetSynthCallback(&EspeakLineSession.OnSynth);
                s_sampleRate = rate;
                s_dataPath = dataPath;
                s_initialized = true;
            }
            initializedDataPath = s_dataPath;
            return s_sampleRate;
        }
    }

    /// <summary>
    /// Selects the voice and sets every speech parameter, before every line; the caller holds <see cref="Gate"/>.
    /// Nothing is cached: whatever a line did to espeak-ng's globals (voice, rate, volume, pitch, range,
    /// punctuation, capitals, word gap, intonation, line length) is undone before the next one, whichever
    /// synthesizer (room) speaks it. Text reaches the library without control characters (<see cref="EspeakText"/>),
    /// so no embedded command can set the values this cannot reach (echo, tone).
    /// </summary>
    public static void Prepare(string engineVoice, SpeechOptions options)
    {
        // Loading the voice file (and its dictionary) again takes about a millisecond; it also resets the variant.
        var rc = EspeakNative.SetVoiceByName(engineVoice);
        if (rc != EspeakNative.Ok)
        {
            throw new SpeechEngineUnavailableException(
                $"espeak-ng has no voice '{engineVoice}' (espeak_SetVoiceByName returned {rc}). " +
                "Install its data with: apt-get install -y espeak-ng espeak-ng-data");
        }
        SetParameter(EspeakNative.ParameterRate, options.RateWordsPerMinute);
        SetParameter(EspeakNative.ParameterPitch, options.Pitch);
        SetParameter(EspeakNative.ParameterRange, options.PitchRange);
        SetParameter(EspeakNative.ParameterVolume, options.Volume);
        SetParameter(EspeakNative.ParameterWordGap, 0);
        SetParameter(EspeakNative.ParameterIntonation, 0);
        SetParameter(EspeakNative.ParameterLineLength, 0);
        // espeak-ng 1.51 stores punctuation and capitals (each espeak_Synth starts from the stored value) but
        // answers EE_INTERNAL_ERROR for them, so their result is not checked.
        _ = EspeakNative.SetParameter(EspeakNative.ParameterPunctuation, EspeakNative.PunctuationNone, 0);
        _ = EspeakNative.SetParameter(EspeakNative.ParameterCapitals, 0, 0);
        var none = 0;
        rc = EspeakNative.SetPunctuationList(&none);
        if (rc != EspeakNative.Ok) throw new InvalidOperationException($"espeak_SetPunctuationList returned {rc}.");
    }

    private static void SetParameter(int parameter, int value)
    {
        var rc = EspeakNative.SetParameter(parameter, value, 0);
        if (rc != EspeakNative.Ok) throw new InvalidOperationException($"espeak_SetParameter({parameter}, {value}) returned {rc}.");
    }
}
