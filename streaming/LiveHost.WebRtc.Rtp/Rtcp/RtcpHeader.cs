using System.Buffers.Binary;

namespace LiveHost.WebRtc.Rtp.Rtcp;

/// <summary>
/// The 4-byte header every RTCP packet starts with (RFC 3550 §6.4.1, RFC 4585 §6.1).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| RC/FMT  |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The length counts 32-bit words minus one, header included.
/// </summary>
public readonly record struct RtcpHeader(bool Padding, byte Count, byte PacketType, ushort LengthInWordsMinusOne)
{
    public const int Size = 4;
    public const int Version = 2;

    /// <summary>The whole packet's size in bytes, header and padding included.</summary>
    public int PacketSize => (LengthInWordsMinusOne + 1) * 4;

    /// <summary>The RC (report count), SC (source count) or FMT (feedback message type) field, by packet type.</summary>
    public byte Format => Count;

    public static RtcpHeader For(RtcpPacketType type, int count, int packetSize)
    {
        if (count is < 0 or > 31) throw new ArgumentOutOfRangeException(nameof(count), count, "the RC/FMT field has 5 bits");
        if (packetSize < Size || packetSize % 4 != 0 || packetSize / 4 - 1 > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(packetSize), packetSize, "an RTCP packet is a whole number of 32-bit words");
        }
        return new RtcpHeader(false, (byte)count, (byte)type, (ushort)(packetSize / 4 - 1));
    }

    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size) throw new ArgumentException("need 4 bytes for the RTCP header", nameof(destination));
        destination[0] = (byte)((Version << 6) | (Padding ? 0x20 : 0) | (Count & 0x1F));
        destination[1] = PacketType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], LengthInWordsMinusOne);
        return Size;
    }

    /// <summary>Reads a header whose version is 2 and whose stated length fits in <paramref name="data"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out RtcpHeader header, out int consumed)
    {
        header = default;
        consumed = 0;
        if (data.Length < Size || data[0] >> 6 != Version) return false;
        header = new RtcpHeader((data[0] & 0x20) != 0, (byte)(data[0] & 0x1F), data[1], BinaryPrimitives.ReadUInt16BigEndian(data[2..]));
        if (header.PacketSize > data.Length) return false;
        consumed = Size;
        return true;
    }
}
