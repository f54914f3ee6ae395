using System.Runtime.InteropServices;

namespace LiveHost.Speech.Espeak;

/// <summary>
/// espeak_EVENT as laid out on 64-bit Linux (40 bytes):
/// <code>
///  0 int   type                 4 uint unique_identifier
///  8 int   text_position       12 int  length
/// 16 int   audio_position (ms) 20 int  sample (index at the engine rate, from the start of the espeak_Synth call)
/// 24 void* user_data
/// 32 union { int number; const char* name; char string[8]; } id   (string: phoneme mnemonic, NUL-terminated unless 8 bytes long)
/// </code>
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct EspeakEvent
{
    public int Type;
    public uint UniqueIdentifier;
    public int TextPosition;
    public int Length;
    public int AudioPosition;
    public int Sample;
    public nint UserData;
    public fixed byte Id[8];

    /// <summary>The 8 bytes of <c>id</c> as one number: a cheap key for caching phoneme names.</summary>
    public readonly ulong IdBits
    {
        get
        {
            fixed (byte* id = Id) return *(ulong*)id;
        }
    }
}
