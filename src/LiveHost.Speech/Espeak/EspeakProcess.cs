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
    private static string? s_voice;
    private static SpeechOptions? s_parametersFrom;

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

    /// <summary>Selects a voice and applies the options; the caller holds <see cref="Gate"/>.</summary>
    public static void Prepare(string engineVoice, SpeechOptions options)
    {
        if (!string.Equals(s_voice, engineVoice, StringComparison.Ordinal))
        {
            s_voice = null;
            var rc = EspeakNative.SetVoiceByName(engineVoice);
            if (rc != EspeakNative.Ok)
            {
                throw new SpeechEngineUnavailableException(
                    $"espeak-ng has no voice '{engineVoice}' (espeak_SetVoiceByName returned {rc}). " +
                    "Install its data with: apt-get install -y espeak-ng espeak-ng-data");
            }
            s_voice = engineVoice;
            // A voice change resets rate and pitch to the voice's own; they are applied again below.
            s_parametersFrom = null;
        }
        if (!ReferenceEquals(s_parametersFrom, options))
        {
            SetParameter(EspeakNative.ParameterRate, options.RateWordsPerMinute);
            SetParameter(EspeakNative.ParameterPitch, options.Pitch);
            SetParameter(EspeakNative.ParameterRange, options.PitchRange);
            SetParameter(EspeakNative.ParameterVolume, options.Volume);
            s_parametersFrom = options;
        }
    }

    private static void SetParameter(int parameter, int value)
    {
        var rc = EspeakNative.SetParameter(parameter, value, 0);
        if (rc != EspeakNative.Ok) throw new InvalidOperationException($"espeak_SetParameter({parameter}, {value}) returned {rc}.");
    }
}
