using System.Buffers.Binary;

namespace LiveHost.WebRtc.Dtls;

/// <summary>
/// The DTLS 1.2 plaintext record header (RFC 6347 §4.1). The demux uses it to sanity-check a datagram before
/// handing it to a <see cref="DtlsSrtpServer"/>; BouncyCastle does the real record processing.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ContentType  |    ProtocolVersion (FE FD)    |     Epoch     ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~ (epoch cont.) |           SequenceNumber (48 bits)            ~
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ~               |            Length             |   fragment... |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Only the classic header form is accepted: DTLS 1.3 unified headers (RFC 9147 §4) and RFC 9146 connection-ID
/// records have a different layout, and a server that only speaks DTLS 1.2 never has to read them.
/// </summary>
public readonly record struct DtlsRecordHeader(
    byte ContentType,
    ushort Version,
    ushort Epoch,
    ulong SequenceNumber,
    ushort Length)
{
    /// <summary>Bytes in the header.</summary>
    public const int Size = 13;

    /// <summary>RFC 6347 §4.1: a record's fragment never exceeds 2^14 bytes plus 2048 of expansion.</summary>
    public const int MaxFragmentLength = (1 << 14) + 2048;

    public const byte ChangeCipherSpec = 20;
    public const byte Alert = 21;
    public const byte Handshake = 22;
    public const byte ApplicationData = 23;
    public const byte Heartbeat = 24;

    /// <summary>DTLS 1.0 (used by some stacks in the ClientHello record and HelloVerifyRequest).</summary>
    public const ushort Dtls10 = 0xFEFF;

    /// <summary>DTLS 1.2.</summary>
    public const ushort Dtls12 = 0xFEFD;

    /// <summary>The largest value a 48-bit sequence number can hold.</summary>
    public const ulong MaxSequenceNumber = (1UL << 48) - 1;

    /// <summary>Bytes in the whole record: header plus fragment.</summary>
    public int RecordSize => Size + Length;

    /// <summary>Parses the first record header of <paramref name="datagram"/>.</summary>
    /// <param name="consumed">The whole record's size (header and fragment), so a caller can step to the next record.</param>
    /// <returns>false when the bytes are too short, not a DTLS 1.0/1.2 plaintext header, of an unknown content type,
    /// or announce a fragment longer than the limit or than the bytes that follow.</returns>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out DtlsRecordHeader header, out int consumed)
    {
        header = default;
        consumed = 0;
        if (datagram.Length < Size)
        {
            return false;
        }

        byte contentType = datagram[0];
        if (contentType is < ChangeCipherSpec or > Heartbeat)
        {
            return false;
        }

        ushort version = BinaryPrimitives.ReadUInt16BigEndian(datagram[1..]);
        if (version is not (Dtls10 or Dtls12))
        {
            return false;
        }

        ushort epoch = BinaryPrimitives.ReadUInt16BigEndian(datagram[3..]);
        ulong sequence = ((ulong)BinaryPrimitives.ReadUInt16BigEndian(datagram[5..]) << 32)
            | BinaryPrimitives.ReadUInt32BigEndian(datagram[7..]);
        ushort length = BinaryPrimitives.ReadUInt16BigEndian(datagram[11..]);
        if (length > MaxFragmentLength || length > datagram.Length - Size)
        {
            return false;
        }

        header = new DtlsRecordHeader(contentType, version, epoch, sequence, length);
        consumed = Size + length;
        return true;
    }

    /// <summary>Parses the first record header of <paramref name="datagram"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out DtlsRecordHeader header) =>
        TryParse(datagram, out header, out _);

    /// <summary>
    /// True when the datagram is one or more well-formed DTLS 1.2 records that end exactly at its end
    /// (RFC 6347 §4.1.1 lets a sender pack several records into one datagram).
    /// </summary>
    public static bool IsWellFormedDatagram(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return false;
        }

        while (!datagram.IsEmpty)
        {
            if (!TryParse(datagram, out _, out int consumed))
            {
                return false;
            }

            datagram = datagram[consumed..];
        }

        return true;
    }

    /// <summary>Writes the 13-byte header.</summary>
    /// <returns>The number of bytes written (<see cref="Size"/>).</returns>
    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"A DTLS record header needs {Size} bytes.", nameof(destination));
        }

        if (SequenceNumber > MaxSequenceNumber)
        {
            throw new InvalidOperationException("The DTLS sequence number does not fit in 48 bits.");
        }

        destination[0] = ContentType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], Version);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], Epoch);
        BinaryPrimitives.WriteUInt16BigEndian(destination[5..], (ushort)(SequenceNumber >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[7..], (uint)SequenceNumber);
        BinaryPrimitives.WriteUInt16BigEndian(destination[11..], Length);
        return Size;
    }
}
