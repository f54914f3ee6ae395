using System.Runtime.InteropServices;

namespace LiveHost.Encoding.X264;

/// <summary>
/// The part of libx264's C API (x264.h, API build 164, Debian 12's libx264-164) that LiveHost calls.
/// <para>
/// x264_param_t is large and changes between builds, so it is never declared here: it lives in an opaque native
/// buffer, is filled by <c>x264_param_default_preset</c> and <c>x264_param_parse</c> (by option name, as the x264 CLI
/// does), and only the three fields that have no option name (width, height, colour space) are written at their
/// offsets, after a check that the defaults sit where build 164 puts them. x264_picture_t and x264_nal_t have been
/// stable for a decade; their few fields are read at fixed offsets, and <see cref="X264Encoder"/> checks what it reads.
/// </para>
/// </summary>
internal static unsafe partial class X264Native
{
    public const string Library = "libx264.so.164";

    /// <summary>The API build the symbol names and offsets below belong to (x264_encoder_open is a macro over it).</summary>
    public const int Build = 164;

    public const int CspI420 = 0x0002;
    public const int TypeAuto = 0x0000;
    public const int TypeIdr = 0x0001;

    /// <summary>Room for x264_param_t (about 1 KiB in build 164); generous so a slightly larger struct cannot overrun it.</summary>
    public const int ParamBufferBytes = 8192;

    /// <summary>sizeof(x264_picture_t) is 240 in build 164; the buffer is bigger for the same reason.</summary>
    public const int PictureBufferBytes = 1024;

    // x264_param_t: uint32 cpu, int i_threads, i_lookahead_threads, b_sliced_threads, b_deterministic,
    // b_cpu_independent, i_sync_lookahead, then the video properties.
    public const int ParamWidthOffset = 28;
    public const int ParamHeightOffset = 32;
    public const int ParamCspOffset = 36;

    // x264_picture_t: int i_type, i_qpplus1, i_pic_struct, b_keyframe; int64 i_pts, i_dts; x264_param_t* param;
    // x264_image_t img { int i_csp, i_plane; int i_stride[4]; uint8_t* plane[4]; } ...
    public const int PictureTypeOffset = 0;
    public const int PictureKeyframeOffset = 12;
    public const int PicturePtsOffset = 16;
    public const int PictureCspOffset = 40;
    public const int PicturePlaneCountOffset = 44;
    public const int PictureStrideOffset = 48;
    public const int PicturePlaneOffset = 64;

    // x264_picture_t continues: x264_image_properties_t prop { float* quant_offsets; void (*quant_offsets_free)(void*);
    // uint8_t* mb_info; void (*mb_info_free)(void*); ... }, right after img (4 + 4 + 4 * 4 + 4 * 8 = 56 bytes at 40).
    public const int PictureMbInfoOffset = 112;
    public const int PictureMbInfoFreeOffset = 120;

    /// <summary>X264_MBINFO_CONSTANT: the macroblock is the same as in the previous frame.</summary>
    public const byte MbInfoConstant = 1;

    /// <summary>x264_nal_t: int i_ref_idc, i_type, b_long_startcode, i_first_mb, i_last_mb, i_payload; uint8_t* p_payload; int i_padding.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Nal
    {
        public int RefIdc;
        public int Type;
        public int LongStartCode;
        public int FirstMb;
        public int LastMb;
        public int Payload;
        public byte* PayloadPointer;
        public int Padding;
    }

    [LibraryImport(Library, EntryPoint = "x264_param_default_preset", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ParamDefaultPreset(nint param, string? preset, string? tune);

    [LibraryImport(Library, EntryPoint = "x264_param_parse", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ParamParse(nint param, string name, string value);

    [LibraryImport(Library, EntryPoint = "x264_param_apply_profile", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ParamApplyProfile(nint param, string profile);

    [LibraryImport(Library, EntryPoint = "x264_encoder_open_164")]
    public static partial nint EncoderOpen(nint param);

    [LibraryImport(Library, EntryPoint = "x264_encoder_headers")]
    public static partial int EncoderHeaders(nint encoder, out Nal* nals, out int nalCount);

    [LibraryImport(Library, EntryPoint = "x264_encoder_encode")]
    public static partial int EncoderEncode(nint encoder, out Nal* nals, out int nalCount, nint pictureIn, nint pictureOut);

    [LibraryImport(Library, EntryPoint = "x264_encoder_close")]
    public static partial void EncoderClose(nint encoder);

    [LibraryImport(Library, EntryPoint = "x264_picture_alloc")]
    public static partial int PictureAlloc(nint picture, int csp, int width, int height);

    [LibraryImport(Library, EntryPoint = "x264_picture_clean")]
    public static partial void PictureClean(nint picture);
}
