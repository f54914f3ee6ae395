using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// SRTP_AEAD_AES_128_GCM (RFC 7714), 16-octet tag.
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

    private readonly AesGcm _rtpGcm;
    private readonly AesGcm _rtcpGcm;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public AeadAesGcmTransform(SrtpSessionKeys keys)
    {
        _rtpGcm = new AesGcm(keys.RtpEncryptionKey.Span, Tag);
        _rtcpGcm = new AesGcm(keys.RtcpEncryptionKey.Span, Tag);
        _rtpSalt = keys.RtpSalt.ToArray();
        _rtcpSalt = keys.RtcpSalt.ToArray();
    }

    public override int TagLength => Tag;

    public override int ProtectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtpNonce(nonce, ssrc, index);
        Span<byte> payload = buffer[headerLength..length];
        _rtpGcm.Encrypt(nonce, payload, payload, buffer.Slice(length, Tag), buffer[..headerLength]);
        return length + Tag;
    }

    public override bool TryUnprotectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtpNonce(nonce, ssrc, index);
        Span<byte> ciphertext = buffer[headerLength..(length - Tag)];
        try
        {
            _rtpGcm.Decrypt(nonce, ciphertext, buffer.Slice(length - Tag, Tag), ciphertext, buffer[..headerLength]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
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
        _rtcpGcm.Encrypt(nonce, body, body, buffer.Slice(length, Tag), aad);
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
        try
        {
            if ((indexWord & 0x8000_0000u) != 0)
            {
                Span<byte> aad = stackalloc byte[RtcpHeaderInfo.HeaderLength + 4];
                buffer[..RtcpHeaderInfo.HeaderLength].CopyTo(aad);
                BinaryPrimitives.WriteUInt32BigEndian(aad[RtcpHeaderInfo.HeaderLength..], indexWord);
                Span<byte> body = buffer[RtcpHeaderInfo.HeaderLength..plainLength];
                _rtcpGcm.Decrypt(nonce, body, buffer.Slice(plainLength, Tag), body, aad);
            }
            else
            {
                // The AAD is packet || E|index but the tag sits between them on the wire: move the tag aside
                // and the index word next to the packet so the AAD is one contiguous span.
                Span<byte> tag = stackalloc byte[Tag];
                buffer.Slice(plainLength, Tag).CopyTo(tag);
                BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(plainLength, 4), indexWord);
                _rtcpGcm.Decrypt(nonce, ReadOnlySpan<byte>.Empty, tag, Span<byte>.Empty, buffer[..(plainLength + 4)]);
            }

            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
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
