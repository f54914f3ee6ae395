using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace LiveHost.WebRtc.Ice;

/// <summary>
/// A read-only view of one STUN message (RFC 8489) inside a received datagram. It copies nothing: attribute
/// values are slices of the caller's buffer, so the view must not outlive it (hence a ref struct).
/// </summary>
/// <remarks>
/// Header (RFC 8489 §5):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Transaction ID (96 bits)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored (§14.5), so an attacker cannot
/// append unauthenticated attributes to a signed request.
/// </remarks>
public readonly ref struct StunMessage
{
    /// <summary>Bytes in the fixed STUN header.</summary>
    public const int HeaderLength = 20;

    /// <summary>The fixed cookie that tells RFC 5389+ STUN from RFC 3489 and from other protocols on the port.</summary>
    public const uint MagicCookie = 0x2112A442;

    private const int IntegrityLength = 20;
    private const uint FingerprintXor = 0x5354554E;

    // Messages up to this size are rebuilt on the stack for the HMAC; larger ones rent from the pool.
    private const int StackScratchLimit = 1024;

    private readonly ReadOnlySpan<byte> _message;
    private readonly int _integrityOffset;
    private readonly int _fingerprintOffset;

    private StunMessage(ReadOnlySpan<byte> message, int integrityOffset, int fingerprintOffset)
    {
        _message = message;
        _integrityOffset = integrityOffset;
        _fingerprintOffset = fingerprintOffset;
    }

    /// <summary>Method and class, e.g. <see cref="StunMessageType.BindingRequest"/>.</summary>
    public ushort MessageType => BinaryPrimitives.ReadUInt16BigEndian(_message);

    /// <summary>The 96-bit transaction ID that a response must echo.</summary>
    public ReadOnlySpan<byte> TransactionId => _message.Slice(8, 12);

    /// <summary>The whole message as parsed.</summary>
    public ReadOnlySpan<byte> Span => _message;

    /// <summary>Whether a MESSAGE-INTEGRITY attribute is present (not whether it is valid).</summary>
    public bool HasMessageIntegrity => _integrityOffset >= 0;

    /// <summary>Whether a FINGERPRINT attribute is present (not whether it is valid).</summary>
    public bool HasFingerprint => _fingerprintOffset >= 0;

    /// <summary>Whether USE-CANDIDATE is present: the controlling agent nominates this pair (RFC 8445 §7.1.2).</summary>
    public bool HasUseCandidate => TryGetAttribute(StunAttributeType.UseCandidate, out _);

    /// <summary>
    /// Checks the framing of a whole datagram as one STUN message: header bits, magic cookie, length field equal to the
    /// datagram, attributes that fit, a 20-byte MESSAGE-INTEGRITY and a 4-byte FINGERPRINT that is last.
    /// Never throws; false means "not a STUN message we can read" and the caller drops it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out StunMessage message)
    {
        message = default;
        if (packet.Length < HeaderLength || (packet[0] & 0xC0) != 0)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2));
        if ((length & 3) != 0 || HeaderLength + length != packet.Length
            || BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4)) != MagicCookie)
        {
            return false;
        }

        int integrityOffset = -1;
        int fingerprintOffset = -1;
        int position = HeaderLength;
        while (position < packet.Length)
        {
            if (fingerprintOffset >= 0 || packet.Length - position < 4)
            {
                return false; // FINGERPRINT must be last, and every attribute needs a full header.
            }

            ushort type = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(position));
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(position + 2));
            int padded = (valueLength + 3) & ~3;
            if (padded > packet.Length - position - 4)
            {
                return false;
            }

            if (type == StunAttributeType.MessageIntegrity && integrityOffset < 0)
            {
                if (valueLength != IntegrityLength)
                {
                    return false;
                }

                integrityOffset = position;
            }
            else if (type == StunAttributeType.Fingerprint)
            {
                if (valueLength != 4)
                {
                    return false;
                }

                fingerprintOffset = position;
            }

            position += 4 + padded;
        }

        message = new StunMessage(packet, integrityOffset, fingerprintOffset);
        return true;
    }

    /// <summary>
    /// The value of the first attribute of <paramref name="type"/> that is covered by MESSAGE-INTEGRITY (or of any
    /// attribute when there is none). FINGERPRINT and MESSAGE-INTEGRITY themselves are found wherever they are.
    /// </summary>
    public bool TryGetAttribute(ushort type, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (type == StunAttributeType.MessageIntegrity)
        {
            return TryReadAt(_integrityOffset, out value);
        }

        if (type == StunAttributeType.Fingerprint)
        {
            return TryReadAt(_fingerprintOffset, out value);
        }

        int end = _integrityOffset >= 0 ? _integrityOffset : _fingerprintOffset >= 0 ? _fingerprintOffset : _message.Length;
        int position = HeaderLength;
        while (position < end)
        {
            ushort current = BinaryPrimitives.ReadUInt16BigEndian(_message.Slice(position));
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(_message.Slice(position + 2));
            if (current == type)
            {
                value = _message.Slice(position + 4, valueLength);
                return true;
            }

            position += 4 + ((valueLength + 3) & ~3);
        }

        return false;
    }

    /// <summary>USERNAME as UTF-8 bytes; for ICE "receiverUfrag:senderUfrag" (RFC 8445 §7.2.2).</summary>
    public bool TryGetUsername(out ReadOnlySpan<byte> username) => TryGetAttribute(StunAttributeType.Username, out username);

    /// <summary>PRIORITY of the peer-reflexive candidate the sender would learn (RFC 8445 §7.1.1).</summary>
    public bool TryGetPriority(out uint priority) => TryGetUInt32(StunAttributeType.Priority, out priority);

    /// <summary>ICE-CONTROLLING tie-breaker: the sender believes it is the controlling agent.</summary>
    public bool TryGetIceControlling(out ulong tieBreaker) => TryGetUInt64(StunAttributeType.IceControlling, out tieBreaker);

    /// <summary>ICE-CONTROLLED tie-breaker: the sender believes it is the controlled agent.</summary>
    public bool TryGetIceControlled(out ulong tieBreaker) => TryGetUInt64(StunAttributeType.IceControlled, out tieBreaker);

    /// <summary>LIFETIME of a TURN allocation, in seconds (RFC 8656 §18.2).</summary>
    public bool TryGetLifetime(out uint seconds) => TryGetUInt32(TurnAttributeType.Lifetime, out seconds);

    /// <summary>ERROR-CODE (RFC 8489 §14.8): code = class * 100 + number, and the UTF-8 reason phrase.</summary>
    public bool TryGetErrorCode(out int code, out ReadOnlySpan<byte> reason)
    {
        code = 0;
        reason = default;
        if (!TryGetAttribute(StunAttributeType.ErrorCode, out var value) || value.Length < 4)
        {
            return false;
        }

        code = (value[2] & 0x07) * 100 + value[3];
        reason = value.Slice(4);
        return true;
    }

    /// <summary>
    /// XOR-MAPPED-ADDRESS decoded (RFC 8489 §14.2). Allocates the endpoint: only clients and tests read this,
    /// never the server's receive path.
    /// </summary>
    public bool TryGetXorMappedAddress(out IPEndPoint? endpoint) => TryGetXorAddress(StunAttributeType.XorMappedAddress, out endpoint);

    /// <summary>Any XOR-encoded address attribute decoded: XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS.</summary>
    public bool TryGetXorAddress(ushort type, out IPEndPoint? endpoint)
    {
        endpoint = null;
        if (!TryGetAttribute(type, out var value) || value.Length < 4)
        {
            return false;
        }

        int port = BinaryPrimitives.ReadUInt16BigEndian(value.Slice(2)) ^ (int)(MagicCookie >> 16);
        int addressLength = value[1] switch { 0x01 => 4, 0x02 => 16, _ => 0 };
        if (addressLength == 0 || value.Length != 4 + addressLength)
        {
            return false;
        }

        Span<byte> address = stackalloc byte[16];
        Span<byte> mask = stackalloc byte[16];
        _message.Slice(4, 16).CopyTo(mask); // cookie followed by the transaction ID
        for (int i = 0; i < addressLength; i++)
        {
            address[i] = (byte)(value[4 + i] ^ mask[i]);
        }

        endpoint = new IPEndPoint(new IPAddress(address.Slice(0, addressLength)), port);
        return true;
    }

    /// <summary>
    /// Verifies MESSAGE-INTEGRITY: HMAC-SHA1 over the message up to that attribute, with the header length
    /// field rewritten to end just after it (RFC 8489 §14.5). For ICE the key is the password's UTF-8 bytes;
    /// for long-term credentials it is MD5(username:realm:password). Constant-time compare; no heap allocation
    /// for messages up to 1 KiB.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "RFC 8489 §14.5 mandates HMAC-SHA1 for MESSAGE-INTEGRITY; browsers send nothing else.")]
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (_integrityOffset < 0)
        {
            return false;
        }

        int covered = _integrityOffset;
        byte[]? rented = null;
        Span<byte> scratch = covered <= StackScratchLimit
            ? stackalloc byte[StackScratchLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(covered));
        try
        {
            var input = scratch.Slice(0, covered);
            _message.Slice(0, covered).CopyTo(input);
            BinaryPrimitives.WriteUInt16BigEndian(input.Slice(2), (ushort)(covered - HeaderLength + 4 + IntegrityLength));
            Span<byte> mac = stackalloc byte[IntegrityLength];
            HMACSHA1.HashData(key, input, mac);
            return CryptographicOperations.FixedTimeEquals(mac, _message.Slice(_integrityOffset + 4, IntegrityLength));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Verifies FINGERPRINT: CRC-32 of the message before it, XOR 0x5354554E (RFC 8489 §14.7). FINGERPRINT is
    /// always last, so the length field already covers it and needs no rewriting.
    /// </summary>
    public bool VerifyFingerprint()
    {
        if (_fingerprintOffset < 0)
        {
            return false;
        }

        uint expected = Crc32.Compute(_message.Slice(0, _fingerprintOffset)) ^ FingerprintXor;
        return BinaryPrimitives.ReadUInt32BigEndian(_message.Slice(_fingerprintOffset + 4)) == expected;
    }

    internal static uint ComputeFingerprint(ReadOnlySpan<byte> messageBeforeFingerprint)
        => Crc32.Compute(messageBeforeFingerprint) ^ FingerprintXor;

    private bool TryReadAt(int offset, out ReadOnlySpan<byte> value)
    {
        if (offset < 0)
        {
            value = default;
            return false;
        }

        value = _message.Slice(offset + 4, BinaryPrimitives.ReadUInt16BigEndian(_message.Slice(offset + 2)));
        return true;
    }

    private bool TryGetUInt32(ushort type, out uint result)
    {
        result = 0;
        if (!TryGetAttribute(type, out var value) || value.Length != 4)
        {
            return false;
        }

        result = BinaryPrimitives.ReadUInt32BigEndian(value);
        return true;
    }

    private bool TryGetUInt64(ushort type, out ulong result)
    {
        result = 0;
        if (!TryGetAttribute(type, out var value) || value.Length != 8)
        {
            return false;
        }

        result = BinaryPrimitives.ReadUInt64BigEndian(value);
        return true;
    }
}
