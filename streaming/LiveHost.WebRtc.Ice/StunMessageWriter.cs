using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace LiveHost.WebRtc.Ice;

/// <summary>
/// Writes one STUN message into a caller-owned buffer, attribute by attribute, keeping the header's length
/// field current so that MESSAGE-INTEGRITY and FINGERPRINT can be computed in place (RFC 8489 §14.5, §14.7).
/// Nothing is allocated. Padding is zero bytes, as RFC 8489 asks.
/// </summary>
/// <remarks>
/// Order matters and is the caller's job: ordinary attributes, then <see cref="AddMessageIntegrity"/>, then
/// <see cref="AddFingerprint"/>. A destination that is too small is a programming error (the caller sizes its
/// datagram buffer once), so it throws <see cref="ArgumentException"/> rather than returning a failure per packet.
/// </remarks>
public ref struct StunMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    /// <summary>Starts a message of <paramref name="messageType"/> with a 12-byte <paramref name="transactionId"/>.</summary>
    public StunMessageWriter(Span<byte> destination, ushort messageType, ReadOnlySpan<byte> transactionId)
    {
        if (transactionId.Length != 12)
        {
            throw new ArgumentException("A STUN transaction ID is 12 bytes.", nameof(transactionId));
        }

        if (destination.Length < StunMessage.HeaderLength)
        {
            throw new ArgumentException("Destination is smaller than a STUN header.", nameof(destination));
        }

        _buffer = destination;
        BinaryPrimitives.WriteUInt16BigEndian(destination, messageType);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), StunMessage.MagicCookie);
        transactionId.CopyTo(destination.Slice(8));
        _length = StunMessage.HeaderLength;
    }

    /// <summary>Bytes written so far, header included.</summary>
    public readonly int Length => _length;

    /// <summary>The message as written so far.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer.Slice(0, _length);

    /// <summary>Appends any attribute, zero-padded to 4 bytes.</summary>
    public void AddAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        var valueSpan = Reserve(type, value.Length);
        value.CopyTo(valueSpan);
    }

    /// <summary>USERNAME; for an ICE check "receiverUfrag:senderUfrag".</summary>
    public void AddUsername(ReadOnlySpan<byte> utf8Username) => AddAttribute(StunAttributeType.Username, utf8Username);

    /// <summary>PRIORITY (RFC 8445 §7.1.1).</summary>
    public void AddPriority(uint priority) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(StunAttributeType.Priority, 4), priority);

    /// <summary>USE-CANDIDATE, which has no value (RFC 8445 §7.1.2).</summary>
    public void AddUseCandidate() => Reserve(StunAttributeType.UseCandidate, 0);

    /// <summary>ICE-CONTROLLING with the sender's tie-breaker.</summary>
    public void AddIceControlling(ulong tieBreaker)
        => BinaryPrimitives.WriteUInt64BigEndian(Reserve(StunAttributeType.IceControlling, 8), tieBreaker);

    /// <summary>ICE-CONTROLLED with the sender's tie-breaker.</summary>
    public void AddIceControlled(ulong tieBreaker)
        => BinaryPrimitives.WriteUInt64BigEndian(Reserve(StunAttributeType.IceControlled, 8), tieBreaker);

    /// <summary>
    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2). An IPv4-mapped IPv6 address (what a dual-mode socket reports) is
    /// written as IPv4, because that is the address the browser actually sent from.
    /// </summary>
    public void AddXorMappedAddress(IPAddress address, int port) => AddXorAddress(StunAttributeType.XorMappedAddress, address, port);

    /// <summary>
    /// Any XOR-encoded address attribute (RFC 8489 §14.2): XOR-MAPPED-ADDRESS, or TURN's XOR-PEER-ADDRESS and
    /// XOR-RELAYED-ADDRESS (RFC 8656 §18.3, §18.5), which share its encoding.
    /// </summary>
    public void AddXorAddress(ushort type, IPAddress address, int port)
    {
        Span<byte> raw = stackalloc byte[16];
        if (!address.TryWriteBytes(raw, out int written))
        {
            throw new ArgumentException("Address could not be written.", nameof(address));
        }

        var addressBytes = raw.Slice(0, written);
        if (address.IsIPv4MappedToIPv6)
        {
            addressBytes = raw.Slice(12, 4);
        }

        var value = Reserve(type, 4 + addressBytes.Length);
        value[0] = 0;
        value[1] = addressBytes.Length == 4 ? (byte)0x01 : (byte)0x02;
        BinaryPrimitives.WriteUInt16BigEndian(value.Slice(2), (ushort)(port ^ (int)(StunMessage.MagicCookie >> 16)));
        var mask = _buffer.Slice(4, 16); // cookie followed by the transaction ID, already in the header
        for (int i = 0; i < addressBytes.Length; i++)
        {
            value[4 + i] = (byte)(addressBytes[i] ^ mask[i]);
        }
    }

    /// <summary>ERROR-CODE (RFC 8489 §14.8) with a UTF-8 reason phrase, e.g. 401 "Unauthorized".</summary>
    public void AddErrorCode(int code, ReadOnlySpan<byte> utf8Reason)
    {
        if (code is < 300 or > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "STUN error codes are 300..699.");
        }

        var value = Reserve(StunAttributeType.ErrorCode, 4 + utf8Reason.Length);
        value[0] = 0;
        value[1] = 0;
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        utf8Reason.CopyTo(value.Slice(4));
    }

    /// <summary>
    /// MESSAGE-INTEGRITY: HMAC-SHA1 keyed with <paramref name="key"/> (short-term: the password's bytes) over
    /// everything written so far, with the length field already counting this attribute.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "RFC 8489 §14.5 mandates HMAC-SHA1 for MESSAGE-INTEGRITY; browsers send nothing else.")]
    public void AddMessageIntegrity(ReadOnlySpan<byte> key)
    {
        int covered = _length;
        var value = Reserve(StunAttributeType.MessageIntegrity, 20);
        HMACSHA1.HashData(key, _buffer.Slice(0, covered), value);
    }

    /// <summary>FINGERPRINT: CRC-32 XOR 0x5354554E over everything before it; must be the last attribute.</summary>
    public void AddFingerprint()
    {
        int covered = _length;
        var value = Reserve(StunAttributeType.Fingerprint, 4);
        BinaryPrimitives.WriteUInt32BigEndian(value, StunMessage.ComputeFingerprint(_buffer.Slice(0, covered)));
    }

    // Writes the attribute header, zeroes the padded value and updates the message length before returning the
    // value span, so integrity and fingerprint computed over the header see the final length.
    private Span<byte> Reserve(ushort type, int valueLength)
    {
        int padded = (valueLength + 3) & ~3;
        if (valueLength > ushort.MaxValue || _buffer.Length - _length < 4 + padded
            || _length - StunMessage.HeaderLength + 4 + padded > ushort.MaxValue)
        {
            throw new ArgumentException("The STUN message does not fit in the destination buffer.");
        }

        var attribute = _buffer.Slice(_length, 4 + padded);
        BinaryPrimitives.WriteUInt16BigEndian(attribute, type);
        BinaryPrimitives.WriteUInt16BigEndian(attribute.Slice(2), (ushort)valueLength);
        attribute.Slice(4).Clear();
        _length += 4 + padded;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(2), (ushort)(_length - StunMessage.HeaderLength));
        return attribute.Slice(4, valueLength);
    }
}
