using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// SRTP_AES128_CM_HMAC_SHA1_80 (RFC 3711 §4.1.1, §4.2.1).
/// <code>
///   IV    = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)        i: SRTP packet index or SRTCP index
///   SRTP  = header || AES-CM(payload) || HMAC-SHA1(k_a, header || AES-CM(payload) || ROC)[0..10]
///   SRTCP = header(8) || AES-CM(rest) || E|index || HMAC-SHA1(k_a, header || AES-CM(rest) || E|index)[0..10]
/// </code>
/// The MAC is an <see cref="IncrementalHash"/> kept per direction and reset by each digest, so the ROC can be
/// appended without touching the caller's buffer and nothing is allocated per packet.
/// </summary>
internal sealed class AesCmHmacSha1Transform : SrtpTransform
{
    private const int Tag = 10;
    private const int SaltLength = 14;

    private readonly AesCounterMode _rtpCipher;
    private readonly AesCounterMode _rtcpCipher;
    private readonly IncrementalHash _rtpMac;
    private readonly IncrementalHash _rtcpMac;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;
    private readonly byte[] _digest = new byte[20];

    public AesCmHmacSha1Transform(SrtpSessionKeys keys)
    {
        _rtpCipher = new AesCounterMode(keys.RtpEncryptionKey.Span);
        _rtcpCipher = new AesCounterMode(keys.RtcpEncryptionKey.Span);
        _rtpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.RtpAuthenticationKey.Span);
        _rtcpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.RtcpAuthenticationKey.Span);
        _rtpSalt = keys.RtpSalt.ToArray();
        _rtcpSalt = keys.RtcpSalt.ToArray();
    }

    public override int TagLength => Tag;

    public override int ProtectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, ulong index)
    {
        Span<byte> iv = stackalloc byte[AesCounterMode.BlockLength];
        BuildIv(iv, _rtpSalt, ssrc, index);
        _rtpCipher.Transform(iv, buffer[headerLength..length]);
        ComputeRtpTag(buffer[..length], (uint)(index >> 16));
        _digest.AsSpan(0, Tag).CopyTo(buffer.Slice(length, Tag));
        return length + Tag;
    }

    public override bool TryUnprotectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, ulong index)
    {
        int authenticated = length - Tag;
        ComputeRtpTag(buffer[..authenticated], (uint)(index >> 16));
        if (!CryptographicOperations.FixedTimeEquals(_digest.AsSpan(0, Tag), buffer.Slice(authenticated, Tag)))
        {
            return false;
        }

        Span<byte> iv = stackalloc byte[AesCounterMode.BlockLength];
        BuildIv(iv, _rtpSalt, ssrc, index);
        _rtpCipher.Transform(iv, buffer[headerLength..authenticated]);
        return true;
    }

    public override int ProtectRtcp(Span<byte> buffer, int length, uint ssrc, uint srtcpIndex)
    {
        Span<byte> iv = stackalloc byte[AesCounterMode.BlockLength];
        BuildIv(iv, _rtcpSalt, ssrc, srtcpIndex);
        _rtcpCipher.Transform(iv, buffer[RtcpHeaderInfo.HeaderLength..length]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(length, 4), 0x8000_0000u | srtcpIndex);
        ComputeRtcpTag(buffer[..(length + 4)]);
        _digest.AsSpan(0, Tag).CopyTo(buffer.Slice(length + 4, Tag));
        return length + 4 + Tag;
    }

    public override uint ReadSrtcpIndexWord(ReadOnlySpan<byte> packet) =>
        BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(packet.Length - Tag - 4, 4));

    public override bool TryUnprotectRtcp(Span<byte> buffer, int length, uint ssrc, uint indexWord)
    {
        int authenticated = length - Tag;
        ComputeRtcpTag(buffer[..authenticated]);
        if (!CryptographicOperations.FixedTimeEquals(_digest.AsSpan(0, Tag), buffer.Slice(authenticated, Tag)))
        {
            return false;
        }

        if ((indexWord & 0x8000_0000u) != 0)
        {
            Span<byte> iv = stackalloc byte[AesCounterMode.BlockLength];
            BuildIv(iv, _rtcpSalt, ssrc, indexWord & 0x7FFF_FFFFu);
            _rtcpCipher.Transform(iv, buffer[RtcpHeaderInfo.HeaderLength..(authenticated - 4)]);
        }

        return true;
    }

    public override void Dispose()
    {
        _rtpCipher.Dispose();
        _rtcpCipher.Dispose();
        _rtpMac.Dispose();
        _rtcpMac.Dispose();
        CryptographicOperations.ZeroMemory(_rtpSalt);
        CryptographicOperations.ZeroMemory(_rtcpSalt);
    }

    /// <summary>IV = k_s || 0x0000, with the SSRC XORed into octets 4..7 and the 48-bit index into octets 8..13.</summary>
    internal static void BuildIv(Span<byte> iv, ReadOnlySpan<byte> salt, uint ssrc, ulong index)
    {
        salt[..SaltLength].CopyTo(iv);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        iv[8] ^= (byte)(index >> 40);
        iv[9] ^= (byte)(index >> 32);
        iv[10] ^= (byte)(index >> 24);
        iv[11] ^= (byte)(index >> 16);
        iv[12] ^= (byte)(index >> 8);
        iv[13] ^= (byte)index;
    }

    private void ComputeRtpTag(ReadOnlySpan<byte> authenticatedPortion, uint rolloverCounter)
    {
        Span<byte> roc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(roc, rolloverCounter);
        _rtpMac.AppendData(authenticatedPortion);
        _rtpMac.AppendData(roc);
        _rtpMac.TryGetHashAndReset(_digest, out _);
    }

    private void ComputeRtcpTag(ReadOnlySpan<byte> authenticatedPortion)
    {
        _rtcpMac.AppendData(authenticatedPortion);
        _rtcpMac.TryGetHashAndReset(_digest, out _);
    }
}
