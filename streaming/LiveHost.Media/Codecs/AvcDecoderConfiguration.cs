using System.Buffers.Binary;

namespace LiveHost.Media.Codecs;

/// <summary>
/// The AVCDecoderConfigurationRecord (ISO 14496-15 5.3.3.1), which FLV carries as its AVC sequence header:
/// <code>
/// version(8)=1 | profile(8) | compat(8) | level(8) | 111111b lengthSizeMinusOne(2)
/// 111b numSps(5) | { spsLength(16) sps }* | numPps(8) | { ppsLength(16) pps }*
/// </code>
/// Only the first SPS and PPS are kept: x264 writes exactly one of each.
/// </summary>
public sealed record AvcDecoderConfiguration(int NalLengthSize, byte[] Sps, byte[] Pps)
{
    public static bool TryParse(ReadOnlySpan<byte> record, out AvcDecoderConfiguration? configuration)
    {
        configuration = null;
        if (record.Length < 7 || record[0] != 1) return false;
        var lengthSize = (record[4] & 0x3) + 1;
        if (lengthSize == 3) return false;

        var numSps = record[5] & 0x1F;
        var rest = record[6..];
        byte[]? sps = null;
        for (var i = 0; i < numSps; i++)
        {
            if (!TryTakeParameterSet(ref rest, out var set)) return false;
            sps ??= set.ToArray();
        }
        if (rest.IsEmpty) return false;
        var numPps = rest[0];
        rest = rest[1..];
        byte[]? pps = null;
        for (var i = 0; i < numPps; i++)
        {
            if (!TryTakeParameterSet(ref rest, out var set)) return false;
            pps ??= set.ToArray();
        }
        if (sps is null || pps is null || !H264Nal.IsSps(sps) || !H264Nal.IsPps(pps)) return false;

        configuration = new AvcDecoderConfiguration(lengthSize, sps, pps);
        return true;
    }

    /// <summary>Writes the record for one SPS and one PPS with 4-byte NAL lengths, as FLV and MP4 carry it.</summary>
    public static byte[] Build(ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        if (!H264Nal.IsSps(sps) || sps.Length < 4 || sps.Length > ushort.MaxValue) throw new ArgumentException("not an SPS NAL unit", nameof(sps));
        if (!H264Nal.IsPps(pps) || pps.Length > ushort.MaxValue) throw new ArgumentException("not a PPS NAL unit", nameof(pps));
        var record = new byte[11 + sps.Length + pps.Length];
        record[0] = 1;
        record[1] = sps[1]; // profile_idc
        record[2] = sps[2]; // constraint flags
        record[3] = sps[3]; // level_idc
        record[4] = 0xFF;   // reserved bits, lengthSizeMinusOne = 3
        record[5] = 0xE1;   // reserved bits, one SPS
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(6), (ushort)sps.Length);
        sps.CopyTo(record.AsSpan(8));
        var at = 8 + sps.Length;
        record[at] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(at + 1), (ushort)pps.Length);
        pps.CopyTo(record.AsSpan(at + 3));
        return record;
    }

    private static bool TryTakeParameterSet(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> set)
    {
        set = default;
        if (rest.Length < 2) return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(rest);
        if (length == 0 || rest.Length < 2 + length) return false;
        set = rest.Slice(2, length);
        rest = rest[(2 + length)..];
        return true;
    }
}
