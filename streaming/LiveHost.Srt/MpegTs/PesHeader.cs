using System.Buffers.Binary;

namespace LiveHost.Srt.MpegTs;

/// <summary>
/// A PES packet header with a PTS only (ISO 13818-1 2.4.3.6; no B-frames, so DTS = PTS and is left out):
/// <code>
/// 00 00 01 | stream_id | PES_packet_length:16 | 10 00 0 0 0 0 | PTS_DTS_flags 10, rest 0 | header_data_length 5 |
/// 0010 PTS[32..30] 1 | PTS[29..15] 1 | PTS[14..0] 1
/// </code>
/// </summary>
public static class PesHeader
{
    public const int Size = 14;
    public const byte VideoStreamId = 0xE0;
    public const byte AudioStreamId = 0xC0;

    /// <param name="payloadLength">Elementary stream bytes after the header; video may pass 0 (unbounded), as TS allows.</param>
    public static void Write(Span<byte> header, byte streamId, long pts90k, int payloadLength)
    {
        header[0] = 0;
        header[1] = 0;
        header[2] = 1;
        header[3] = streamId;
        var length = payloadLength == 0 ? 0 : payloadLength + Size - 6;
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], (ushort)(length > ushort.MaxValue ? 0 : length));
        header[6] = 0x80;
        header[7] = 0x80;
        header[8] = 5;
        WriteTimestamp(header[9..], 0x20, pts90k);
    }

    public static void WriteTimestamp(Span<byte> field, int prefix, long value)
    {
        value &= (1L << 33) - 1;
        field[0] = (byte)(prefix | (int)((value >> 29) & 0x0E) | 1);
        field[1] = (byte)(value >> 22);
        field[2] = (byte)(((value >> 14) & 0xFE) | 1);
        field[3] = (byte)(value >> 7);
        field[4] = (byte)(((value << 1) & 0xFE) | 1);
    }

    /// <summary>Reads the PTS a header written by <see cref="Write"/> carries; false when it is not a PES header with one.</summary>
    public static bool TryReadPts(ReadOnlySpan<byte> header, out long pts90k)
    {
        pts90k = 0;
        if (header.Length < Size || header[0] != 0 || header[1] != 0 || header[2] != 1 || (header[7] & 0x80) == 0) return false;
        var t = header[9..];
        pts90k = ((long)(t[0] & 0x0E) << 29) | ((long)t[1] << 22) | ((long)(t[2] & 0xFE) << 14) | ((long)t[3] << 7) | ((long)t[4] >> 1);
        return true;
    }
}
