using System.Runtime.InteropServices;

namespace LiveHost.Speech.Flite;

/// <summary>
/// The part of Flite 2.2's C API (flite.h, cst_audio.h, cst_wave.h, cst_item.h) that <see cref="FliteSynthesizer"/>
/// uses, from Debian's libflite1. Voices live in their own libraries (libflite_cmu_us_slt.so.1 ...), each exporting
/// <c>cst_voice *register_cmu_us_NAME(const char *voxdir)</c>; those are loaded by name at run time.
/// </summary>
internal static unsafe partial class FliteNative
{
    public const string LibraryName = "libflite.so.1";

    // cst_audio.h: what a streaming callback returns.
    public const int StreamContinue = 0;
    public const int StreamStop = -1;

    /// <summary>cst_wave: <c>{ const char *type; int sample_rate; int num_samples; int num_channels; short *samples; }</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Wave
    {
        public nint Type;
        public int SampleRate;
        public int NumSamples;
        public int NumChannels;
        public short* Samples;
    }

    /// <summary>
    /// cst_audio_streaming_info: <c>{ int min_buffsize; int (*asc)(const cst_wave *w, int start, int size, int last,
    /// cst_audio_streaming_info *asi); const cst_utterance *utt; const cst_item *item; void *userdata; }</c>.
    /// Flite sets <c>utt</c> before the first callback; by then the utterance's Segment relation has every end time.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StreamingInfo
    {
        public int MinBufferSize;
        public delegate* unmanaged[Cdecl]<Wave*, int, int, int, StreamingInfo*, int> Callback;
        public nint Utterance;
        public nint Item;
        public nint UserData;
    }

    [LibraryImport(LibraryName, EntryPoint = "flite_init")]
    public static partial int Init();

    [LibraryImport(LibraryName, EntryPoint = "flite_synth_text")]
    public static partial nint SynthText(byte* text, nint voice);

    [LibraryImport(LibraryName, EntryPoint = "delete_utterance")]
    public static partial void DeleteUtterance(nint utterance);

    [LibraryImport(LibraryName, EntryPoint = "utt_relation")]
    public static partial nint UtteranceRelation(nint utterance, byte* name);

    [LibraryImport(LibraryName, EntryPoint = "relation_head")]
    public static partial nint RelationHead(nint relation);

    [LibraryImport(LibraryName, EntryPoint = "item_next")]
    public static partial nint ItemNext(nint item);

    [LibraryImport(LibraryName, EntryPoint = "item_feat_string")]
    public static partial byte* ItemFeatString(nint item, byte* name);

    [LibraryImport(LibraryName, EntryPoint = "item_feat_float")]
    public static partial float ItemFeatFloat(nint item, byte* name);

    [LibraryImport(LibraryName, EntryPoint = "new_audio_streaming_info")]
    public static partial StreamingInfo* NewStreamingInfo();

    [LibraryImport(LibraryName, EntryPoint = "audio_streaming_info_val")]
    public static partial nint StreamingInfoValue(StreamingInfo* info);

    /// <summary>Flite keeps the <paramref name="name"/> pointer (it does not copy it): pass memory that lives for the process.</summary>
    [LibraryImport(LibraryName, EntryPoint = "feat_set")]
    public static partial void FeatureSet(nint features, byte* name, nint value);

    /// <summary>cst_voice: <c>{ const char *name; cst_features *features; ... }</c>.</summary>
    public static nint VoiceFeatures(nint voice) => ((nint*)voice)[1];
}
