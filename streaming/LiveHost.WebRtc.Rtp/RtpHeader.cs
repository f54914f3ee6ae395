using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace LiveHost.WebRtc.Rtp;

/// <summary>
/// The fixed RTP header of RFC 3550 §5.1, with its CSRC list and the RFC 3550 §5.3.1 extension header.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers             |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      defined by profile       |           length              |   (only when X = 1)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        header extension                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// A value type with the CSRCs held inline, so that parsing and writing never allocate.
/// </summary>
public struct RtpHeader
{
    public const int Version = 2;
    public const int FixedSize = 12;
    public const int MaxCsrcCount = 15;

    private CsrcList _csrcs;

    /// <summary>P bit: the packet ends in padding whose last octet counts the padding octets (RFC 3550 §5.1).</summary>
    public bool Padding { get; set; }

    /// <summary>X bit: a header extension follows the CSRC list.</summary>
    public bool Extension { get; set; }

    public bool Marker { get; set; }

    /// <summary>7-bit payload type.</summary>
    public byte PayloadType { get; set; }

    public ushort SequenceNumber { get; set; }
    public uint Timestamp { get; set; }
    public uint Ssrc { get; set; }

    public int CsrcCount { get; private set; }

    /// <summary>The 16-bit "defined by profile" field (0xBEDE for RFC 8285 one-byte extensions).</summary>
    public ushort ExtensionProfile { get; set; }

    /// <summary>Length in bytes of the extension body after its 4-byte header; a multiple of 4.</summary>
    public int ExtensionLength { get; set; }

    /// <summary>Padding octets at the end of a parsed packet (0 when <see cref="Padding"/> is clear).</summary>
    public int PaddingLength { get; private set; }

    /// <summary>Bytes from the start of the packet to the payload: fixed header, CSRCs, extension.</summary>
    public readonly int Size => FixedSize + 4 * CsrcCount + (Extension ? 4 + ExtensionLength : 0);

    public readonly uint GetCsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CsrcCount);
        return _csrcs[index];
    }

    public void SetCsrcs(ReadOnlySpan<uint> csrcs)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(csrcs.Length, MaxCsrcCount);
        csrcs.CopyTo(_csrcs);
        CsrcCount = csrcs.Length;
    }

    /// <summary>
    /// Writes the header (and, with <see cref="Extension"/>, the extension header followed by a zeroed body of
    /// <see cref="ExtensionLength"/> bytes for the caller to fill; zeros are padding in RFC 8285).
    /// Padding octets, if <see cref="Padding"/> is set, are the caller's to append after the payload.
    /// </summary>
    /// <returns>The bytes written, <see cref="Size"/>.</returns>
    public readonly int WriteTo(Span<byte> destination)
    {
        if (PayloadType > 127) throw new InvalidOperationException("the RTP payload type has 7 bits");
        if (ExtensionLength < 0 || ExtensionLength % 4 != 0 || ExtensionLength > ushort.MaxValue * 4)
        {
            throw new InvalidOperationException("the RTP extension length must be a non-negative multiple of 4");
        }
        var size = Size;
        if (destination.Length < size) throw new ArgumentException($"need {size} bytes for the RTP header", nameof(destination));

        destination[0] = (byte)((Version << 6) | (Padding ? 0x20 : 0) | (Extension ? 0x10 : 0) | CsrcCount);
        destination[1] = (byte)((Marker ? 0x80 : 0) | PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Ssrc);
        var offset = FixedSize;
        for (var i = 0; i < CsrcCount; i++, offset += 4) BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], _csrcs[i]);
        if (Extension)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], ExtensionProfile);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)(ExtensionLength / 4));
            destination.Slice(offset + 4, ExtensionLength).Clear();
        }
        return size;
    }

    /// <summary>
    /// Parses the header of a whole RTP packet. Fails (never throws) on a version other than 2, a packet shorter than its
    /// CSRC list or extension, or a padding count that does not fit the packet.
    /// </summary>
    /// <param name="consumed">Bytes before the payload (<see cref="Size"/>).</param>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeader header, out int consumed)
    {
        header = default;
        consumed = 0;
        if (packet.Length < FixedSize || packet[0] >> 6 != Version) return false;

        var csrcCount = packet[0] & 0x0F;
        var offset = FixedSize + 4 * csrcCount;
        if (packet.Length < offset) return false;

        header.Padding = (packet[0] & 0x20) != 0;
        header.Extension = (packet[0] & 0x10) != 0;
        header.Marker = (packet[1] & 0x80) != 0;
        header.PayloadType = (byte)(packet[1] & 0x7F);
        header.SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        header.Timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        header.Ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        header.CsrcCount = csrcCount;
        for (var i = 0; i < csrcCount; i++) header._csrcs[i] = BinaryPrimitives.ReadUInt32BigEndian(packet[(FixedSize + 4 * i)..]);

        if (header.Extension)
        {
            if (packet.Length < offset + 4) return false;
            header.ExtensionProfile = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            header.ExtensionLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]) * 4;
            offset += 4 + header.ExtensionLength;
            if (packet.Length < offset) return false;
        }

        if (header.Padding)
        {
            // The last octet counts the padding including itself, so it is at least 1 (RFC 3550 §5.1).
            var paddingLength = packet[^1];
            if (paddingLength == 0 || paddingLength > packet.Length - offset) return false;
            header.PaddingLength = paddingLength;
        }

        consumed = offset;
        return true;
    }

    /// <summary>Parses a packet and returns its payload (between the header and any padding).</summary>
    public static bool TryParsePacket(ReadOnlySpan<byte> packet, out RtpHeader header, out ReadOnlySpan<byte> payload)
    {
        if (!TryParse(packet, out header, out int consumed))
        {
            payload = default;
            return false;
        }
        payload = packet[consumed..^header.PaddingLength];
        return true;
    }

    /// <summary>The sequence number of a packet known to be RTP (at least 4 bytes); for NACK bookkeeping.</summary>
    public static ushort ReadSequenceNumber(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);

    [InlineArray(MaxCsrcCount)]
    private struct CsrcList
    {
        private uint _element0;
    }
}
