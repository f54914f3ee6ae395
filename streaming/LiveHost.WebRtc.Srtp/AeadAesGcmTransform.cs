using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// SRTP_AEAD_AES_128_GCM (RFC 7714), 16-octet tag; the cipher is <see cref="GcmCipher.Create"/>'s (AES-NI in process where the CPU has it).
/// <code>
///   SRTP  IV (§8.1)  = (0x0000 || SSRC || ROC || SEQ) XOR salt              AAD = RTP header (CSRCs, extension)
///   SRTCP IV (§9.1)  = (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt
///   SRTCP, E = 1 (§9.2): AAD = header(8) || E|index;  wire = header || ciphertext || tag || E|index
///   SRTCP, E = 0 (§9.3): AAD = whole packet || E|index; wire = packet || tag || E|index
/// </code>
/// </summary>
internal sealed class AeadAesGcmTransform : SrtpTransform
{
    private const int Tag = 16;
    private const int NonceLength = 12;

    private readonly GcmCipher _rtpGcm;
    private readonly GcmCipher _rtcpGcm;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public AeadAesGcmTransform(SrtpSessionKeys keys)
    {
        _rtpGcm = GcmCipher.Create(keys.RtpEncryptionKey.Span);
        _rtcpGcm = GcmCipher.Create(keys.RtcpEncryptionKey.Span);
        _rtpSalt = keys.RtpSalt.ToArray();
        _rtcpSalt = keys.RtcpSalt.ToArray();
    }

    public override int TagLength => Tag;

    public override int ProtectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtpNonce(nonce, ssrc, index);
        Span<byte> payload = buffer[headerLength..length];
        _rtpGcm.Encrypt(nonce, payload, buffer.Slice(length, Tag), buffer[..headerLength]);
        return length + Tag;
    }

    public override bool TryUnprotectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtpNonce(nonce, ssrc, index);
        Span<byte> ciphertext = buffer[headerLength..(length - Tag)];
        return _rtpGcm.TryDecrypt(nonce, ciphertext, buffer.Slice(length - Tag, Tag), buffer[..headerLength]);
    }

    public override int ProtectRtcp(Span<byte> buffer, int length, uint ssrc, uint srtcpIndex)
    {
        uint indexWord = 0x8000_0000u | srtcpIndex;
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtcpNonce(nonce, ssrc, srtcpIndex);
        Span<byte> aad = stackalloc byte[RtcpHeaderInfo.HeaderLength + 4];
        buffer[..RtcpHeaderInfo.HeaderLength].CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad[RtcpHeaderInfo.HeaderLength..], indexWord);
        Span<byte> body = buffer[RtcpHeaderInfo.HeaderLength..length];
        _rtcpGcm.Encrypt(nonce, body, buffer.Slice(length, Tag), aad);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(length + Tag, 4), indexWord);
        return length + Tag + 4;
    }

    public override uint ReadSrtcpIndexWord(ReadOnlySpan<byte> packet) =>
        BinaryPrimitives.ReadUInt32BigEndian(packet[^4..]);

    public override bool TryUnprotectRtcp(Span<byte> buffer, int length, uint ssrc, uint indexWord)
    {
        int plainLength = length - Tag - 4;
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtcpNonce(nonce, ssrc, indexWord & 0x7FFF_FFFFu);
        if ((indexWord & 0x8000_0000u) != 0)
        {
            Span<byte> aad = stackalloc byte[RtcpHeaderInfo.HeaderLength + 4];
            buffer[..RtcpHeaderInfo.HeaderLength].CopyTo(aad);
            BinaryPrimitives.WriteUInt32BigEndian(aad[RtcpHeaderInfo.HeaderLength..], indexWord);
            Span<byte> body = buffer[RtcpHeaderInfo.HeaderLength..plainLength];
            return _rtcpGcm.TryDecrypt(nonce, body, buffer.Slice(plainLength, Tag), aad);
        }

        // The AAD is packet || E|index but the tag sits between them on the wire: move the tag aside
        // and the index word next to the packet so the AAD is one contiguous span.
        Span<byte> tag = stackalloc byte[Tag];
        buffer.Slice(plainLength, Tag).CopyTo(tag);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(plainLength, 4), indexWord);
        return _rtcpGcm.TryDecrypt(nonce, Span<byte>.Empty, tag, buffer[..(plainLength + 4)]);
    }

    public override void Dispose()
    {
        _rtpGcm.Dispose();
        _rtcpGcm.Dispose();
        CryptographicOperations.ZeroMemory(_rtpSalt);
        CryptographicOperations.ZeroMemory(_rtcpSalt);
    }

    private void BuildRtpNonce(Span<byte> nonce, uint ssrc, ulong index)
    {
        nonce[0] = 0;
        nonce[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce.Slice(2, 4), ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.Slice(6, 4), (uint)(index >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(nonce.Slice(10, 2), (ushort)index);
        XorSalt(nonce, _rtpSalt);
    }

    private void BuildRtcpNonce(Span<byte> nonce, uint ssrc, uint srtcpIndex)
    {
        nonce[0] = 0;
        nonce[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce.Slice(2, 4), ssrc);
        nonce[6] = 0;
        nonce[7] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce.Slice(8, 4), srtcpIndex);
        XorSalt(nonce, _rtcpSalt);
    }

    private static void XorSalt(Span<byte> nonce, ReadOnlySpan<byte> salt)
    {
        for (int i = 0; i < NonceLength; i++)
        {
            nonce[i] ^= salt[i];
        }
    }
}
