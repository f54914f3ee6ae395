using System.Runtime.InteropServices;

namespace LiveHost.Speech.Flite;

/// <summary>
/// Flite's process-wide state: <c>flite_init</c> once, and each voice registered once (a cst_voice holds its
/// features, and the streaming callback is one of them). Like <c>EspeakProcess</c> it is static because what it
/// guards is: two synthesizers registering one voice twice would each get a voice object, but the lexicon and
/// language tables behind them are shared C globals. A voice is not thread-safe, so each has its own gate that every
/// synthesis with it holds; different voices may synthesize at once.
/// </summary>
internal static unsafe class FliteProcess
{
    private static readonly Lock s_gate = new();
    private static readonly Dictionary<string, LoadedVoice> s_voices = new(StringComparer.Ordinal);
    private static bool s_initialized;

    /// <summary>A registered voice, its streaming info (set as its "streaming_info" feature) and the gate to hold while using either.</summary>
    public sealed class LoadedVoice(nint voice, FliteNative.StreamingInfo* streaming)
    {
        public nint Voice { get; } = voice;
        public FliteNative.StreamingInfo* Streaming { get; } = streaming;
        public Lock Gate { get; } = new();
    }

    /// <exception cref="SpeechEngineUnavailableException">libflite.so.1 or the voice's library cannot be loaded.</exception>
    public static LoadedVoice Load(FliteVoice voice)
    {
        lock (s_gate)
        {
            if (s_voices.TryGetValue(voice.Id, out var loaded)) return loaded;
            try
            {
                if (!s_initialized)
                {
                    _ = FliteNative.Init(); // returns 0 always (flite.h); nothing to check
                    s_initialized = true;
                }
                var library = NativeLibrary.Load(voice.Library);
                var register = (delegate* unmanaged[Cdecl]<byte*, nint>)NativeLibrary.GetExport(library, voice.Register);
                var handle = register(null);
                if (handle == 0) throw new SpeechEngineUnavailableException($"{voice.Register} in {voice.Library} returned no voice.");
                var streaming = FliteNative.NewStreamingInfo();
                streaming->Callback = &FliteLineSession.OnAudio;
                // Feature names are kept by pointer, never copied: this one lives as long as the process.
                var name = (byte*)Marshal.StringToHGlobalAnsi("streaming_info");
                FliteNative.FeatureSet(FliteNative.VoiceFeatures(handle), name, FliteNative.StreamingInfoValue(streaming));
                loaded = new LoadedVoice(handle, streaming);
                s_voices[voice.Id] = loaded;
                return loaded;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                throw new SpeechEngineUnavailableException(
                    $"Flite voice {voice.Id} cannot be loaded ({voice.Library}): install Debian's libflite1 (scripts/install-deps.sh).", e);
            }
        }
    }
}
