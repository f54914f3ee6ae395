using System.Buffers;

namespace LiveHost.Media.Codecs;

/// <summary>
/// The fields of an H.264 sequence parameter set (H.264 7.3.2.1.1) that LiveHost needs: the profile, the
/// constraint flags that make Constrained Baseline (profile_idc 66 with constraint_set1), the level and the
/// cropped picture size.
/// </summary>
public readonly record struct H264SequenceParameterSet(byte ProfileIdc, byte ConstraintFlags, byte LevelIdc, int Width, int Height)
{
    public bool ConstraintSet0 => (ConstraintFlags & 0x80) != 0;
    public bool ConstraintSet1 => (ConstraintFlags & 0x40) != 0;

    /// <summary>profile_idc 66 with constraint_set1_flag: what WebRTC and every player can decode.</summary>
    public bool IsConstrainedBaseline => ProfileIdc == 66 && ConstraintSet1;

    private const int MaxSpsBytes = 4096;

    /// <summary>Parses an SPS NAL unit, header byte included. False when it is not an SPS or is truncated or absurd.</summary>
    public static bool TryParse(ReadOnlySpan<byte> spsNal, out H264SequenceParameterSet sps)
    {
        sps = default;
        if (spsNal.Length < 4 || spsNal.Length > MaxSpsBytes || !H264Nal.IsSps(spsNal)) return false;

        var payload = spsNal[1..];
        byte[]? rented = null;
        var rbsp = payload.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(payload.Length));
        try
        {
            var length = RbspBitReader.Unescape(payload, rbsp);
            return TryParseRbsp(rbsp[..length], out sps);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool TryParseRbsp(ReadOnlySpan<byte> rbsp, out H264SequenceParameterSet sps)
    {
        sps = default;
        var r = new RbspBitReader(rbsp);
        var profileIdc = (byte)r.ReadBits(8);
        var constraintFlags = (byte)r.ReadBits(8);
        var levelIdc = (byte)r.ReadBits(8);
        if (r.ReadUe() > 31) return false; // seq_parameter_set_id

        uint chromaFormatIdc = 1;
        var separateColourPlane = false;
        if (profileIdc is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            chromaFormatIdc = r.ReadUe();
            if (chromaFormatIdc > 3) return false;
            if (chromaFormatIdc == 3) separateColourPlane = r.ReadFlag();
            if (r.ReadUe() > 6 || r.ReadUe() > 6) return false; // bit_depth_luma/chroma_minus8
            r.ReadFlag(); // qpprime_y_zero_transform_bypass_flag
            if (r.ReadFlag()) // seq_scaling_matrix_present_flag
            {
                var lists = chromaFormatIdc != 3 ? 8 : 12;
                for (var i = 0; i < lists && !r.Overrun; i++)
                {
                    if (r.ReadFlag()) SkipScalingList(ref r, i < 6 ? 16 : 64);
                }
            }
        }

        if (r.ReadUe() > 12) return false; // log2_max_frame_num_minus4
        var picOrderCntType = r.ReadUe();
        if (picOrderCntType == 0)
        {
            if (r.ReadUe() > 12) return false; // log2_max_pic_order_cnt_lsb_minus4
        }
        else if (picOrderCntType == 1)
        {
            r.ReadFlag(); // delta_pic_order_always_zero_flag
            r.ReadSe(); // offset_for_non_ref_pic
            r.ReadSe(); // offset_for_top_to_bottom_field
            var cycle = r.ReadUe();
            if (cycle > 255) return false;
            for (var i = 0; i < cycle && !r.Overrun; i++) r.ReadSe();
        }
        else if (picOrderCntType > 2)
        {
            return false;
        }

        r.ReadUe(); // max_num_ref_frames
        r.ReadFlag(); // gaps_in_frame_num_value_allowed_flag
        var widthInMbs = r.ReadUe() + 1;
        var heightInMapUnits = r.ReadUe() + 1;
        var frameMbsOnly = r.ReadFlag();
        if (!frameMbsOnly) r.ReadFlag(); // mb_adaptive_frame_field_flag
        r.ReadFlag(); // direct_8x8_inference_flag
        uint cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (r.ReadFlag())
        {
            cropLeft = r.ReadUe();
            cropRight = r.ReadUe();
            cropTop = r.ReadUe();
            cropBottom = r.ReadUe();
        }
        if (r.Overrun || widthInMbs > 1024 || heightInMapUnits > 1024) return false;

        var fieldFactor = frameMbsOnly ? 1L : 2L;
        var chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
        long cropUnitX, cropUnitY;
        if (chromaArrayType == 0)
        {
            cropUnitX = 1;
            cropUnitY = fieldFactor;
        }
        else
        {
            var subWidthC = chromaFormatIdc == 3 ? 1 : 2;
            var subHeightC = chromaFormatIdc == 1 ? 2 : 1;
            cropUnitX = subWidthC;
            cropUnitY = subHeightC * fieldFactor;
        }

        var width = widthInMbs * 16L - cropUnitX * ((long)cropLeft + cropRight);
        var height = fieldFactor * heightInMapUnits * 16L - cropUnitY * ((long)cropTop + cropBottom);
        if (width <= 0 || height <= 0) return false;

        sps = new H264SequenceParameterSet(profileIdc, constraintFlags, levelIdc, (int)width, (int)height);
        return true;
    }

    private static void SkipScalingList(ref RbspBitReader r, int size)
    {
        int last = 8, next = 8;
        for (var j = 0; j < size && !r.Overrun; j++)
        {
            if (next != 0) next = (last + r.ReadSe() + 256) % 256;
            last = next == 0 ? last : next;
        }
    }
}
