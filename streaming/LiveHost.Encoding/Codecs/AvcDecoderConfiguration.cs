using System.Buffers.Binary;

namespace LiveHost.Encoding.Codecs;

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
