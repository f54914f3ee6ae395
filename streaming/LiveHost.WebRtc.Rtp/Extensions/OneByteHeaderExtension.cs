using System.Buffers.Binary;

namespace LiveHost.WebRtc.Rtp.Extensions;

/// <summary>
/// RFC 8285 §4.2, the one-byte header form of RTP header extensions: after the fixed header and CSRCs, the profile
/// 0xBEDE, a length in 32-bit words, then elements of one byte (ID in the high nibble, data length minus one in the low)
/// followed by 1 to 16 data bytes; zero bytes pad the block to a multiple of four. IDs 1 to 14 are usable (15 stops
/// parsing, 0 is padding). Per viewer, because the ID is whatever that browser's offer chose.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |       0xBE    |    0xDE       |           length=1            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ID   | L=2   |     data      |     data      |     data      |   (e.g. playout-delay: 3 bytes, one word)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public static class OneByteHeaderExtension
{
    /// <summary>The "defined by profile" value of the one-byte form.</summary>
    public const ushort Profile = 0xBEDE;

    public const int MinId = 1;
    public const int MaxId = 14;

    /// <summary>Bytes a single element of <paramref name="dataLength"/> bytes adds to a packet that had no extension.</summary>
    public static int BlockSize(int dataLength) => 4 + (1 + dataLength + 3) / 4 * 4;

    /// <summary>
    /// Inserts one element into the RTP packet in <c>packet[..length]</c>, which must have no header extension yet:
    /// moves the payload up, sets the X bit and writes the block. Allocates nothing.
    /// </summary>
    /// <returns>The packet's new length; -1 (packet untouched) when it already has an extension, is not RTP, or does not fit.</returns>
    public static int TryInsert(Span<byte> packet, int length, int id, ReadOnlySpan<byte> data)
    {
        if (id is < MinId or > MaxId) throw new ArgumentOutOfRangeException(nameof(id), id, "one-byte extension IDs are 1 to 14");
        if (data.Length is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(data), data.Length, "one-byte extension elements carry 1 to 16 bytes");
        if (length < RtpHeader.FixedSize || length > packet.Length || packet[0] >> 6 != RtpHeader.Version || (packet[0] & 0x10) != 0) return -1;
        var headerEnd = RtpHeader.FixedSize + 4 * (packet[0] & 0x0F);
        var block = BlockSize(data.Length);
        if (headerEnd > length || length + block > packet.Length) return -1;

        packet[headerEnd..length].CopyTo(packet[(headerEnd + block)..]);
        var body = packet.Slice(headerEnd, block);
        body.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(body, Profile);
        BinaryPrimitives.WriteUInt16BigEndian(body[2..], (ushort)((block - 4) / 4));
        body[4] = (byte)((id << 4) | (data.Length - 1));
        data.CopyTo(body[5..]);
        packet[0] |= 0x10;
        return length + block;
    }

    /// <summary>Finds element <paramref name="id"/> in a packet's one-byte extension block.</summary>
    public static bool TryFind(ReadOnlySpan<byte> packet, int id, out ReadOnlySpan<byte> data)
    {
        data = default;
        if (!RtpHeader.TryParse(packet, out var header, out var consumed) || !header.Extension || header.ExtensionProfile != Profile) return false;
        var elements = packet[(consumed - header.ExtensionLength)..consumed];
        var offset = 0;
        while (offset < elements.Length)
        {
            var first = elements[offset];
            if (first == 0) { offset++; continue; }
            var elementId = first >> 4;
            if (elementId == 15) return false;
            var size = (first & 0x0F) + 1;
            if (offset + 1 + size > elements.Length) return false;
            if (elementId == id)
            {
                data = elements.Slice(offset + 1, size);
                return true;
            }
            offset += 1 + size;
        }
        return false;
    }
}
