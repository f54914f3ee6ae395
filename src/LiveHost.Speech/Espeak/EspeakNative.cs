using System.Runtime.InteropServices;

namespace LiveHost.Speech.Espeak;

/// <summary>
/// The part of espeak-ng's C API (speak_lib.h, API revision 12, espeak-ng 1.51) that the synthesizer uses.
/// Enums of the C header are passed as <c>int</c>, which is their size on every ABI espeak-ng builds for.
/// </summary>
internal static unsafe partial class EspeakNative
{
    public const string LibraryName = "libespeak-ng.so.1";

    // espeak_AUDIO_OUTPUT: SYNCHRONOUS runs synthesis inside espeak_Synth on the calling thread and hands audio to
    // the synth callback buffer by buffer, which is what lets one owning thread stream while it synthesizes.
    public const int AudioOutputSynchronous = 2;

    public const int InitializePhonemeEvents = 0x0001;
    public const int InitializeDontExit = 0x8000;

    // espeak_POSITION_TYPE
    public const int PositionCharacter = 1;

    // espeak_Synth flags
    public const uint CharsUtf8 = 1;
    public const uint EndPause = 0x1000;

    // espeak_EVENT_TYPE
    public const int EventListTerminated = 0;
    public const int EventPhoneme = 7;

    // espeak_PARAMETER
    public const int ParameterRate = 1;
    public const int ParameterVolume = 2;
    public const int ParameterPitch = 3;
    public const int ParameterRange = 4;
    public const int ParameterPunctuation = 5;
    public const int ParameterCapitals = 6;
    public const int ParameterWordGap = 7;
    public const int ParameterIntonation = 9;
    public const int ParameterLineLength = 13;

    // espeak_PUNCT_TYPE
    public const int PunctuationNone = 0;

    // espeak_ERROR
    public const int Ok = 0;

    // Callback return values.
    public const int ContinueSynthesis = 0;
    public const int AbortSynthesis = 1;

    /// <returns>The sample rate of the audio the callback receives (22050 Hz for espeak-ng), or -1.</returns>
    [LibraryImport(LibraryName, EntryPoint = "espeak_Initialize", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Initialize(int output, int bufferLengthMs, string? path, int options);

    [LibraryImport(LibraryName, EntryPoint = "espeak_SetSynthCallback")]
    public static partial void SetSynthCallback(delegate* unmanaged[Cdecl]<short*, int, EspeakEvent*, int> callback);

    /// <param name="name">A voice name, optionally with a variant: <c>en-us+f3</c>.</param>
    [LibraryImport(LibraryName, EntryPoint = "espeak_SetVoiceByName", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetVoiceByName(string name);

    [LibraryImport(LibraryName, EntryPoint = "espeak_SetParameter")]
    public static partial int SetParameter(int parameter, int value, int relative);

    /// <param name="list">A NUL-terminated wchar_t (UTF-32 on Linux) string of the punctuation to speak by name.</param>
    [LibraryImport(LibraryName, EntryPoint = "espeak_SetPunctuationList")]
    public static partial int SetPunctuationList(int* list);

    [LibraryImport(LibraryName, EntryPoint = "espeak_Synth")]
    public static partial int Synth(
        byte* text,
        nuint size,
        uint position,
        int positionType,
        uint endPosition,
        uint flags,
        uint* uniqueIdentifier,
        void* userData);
}
