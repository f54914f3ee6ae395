using System.Security.Cryptography;

namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// The SRTP key derivation function of RFC 3711 §4.3 with the AES-CM PRF (§4.3.3) and key_derivation_rate 0,
/// which DTLS-SRTP always uses (RFC 5764 §4.1.2). For the AEAD profiles RFC 7714 §11 keeps the same PRF; their
/// 12-octet master salt is zero-padded to the PRF's 14 octets (as libsrtp and pion do).
/// <code>
///   key_id = label || r            r = index DIV key_derivation_rate = 0
///   x      = key_id XOR master_salt          (14 octets: label lands in octet 7)
///   out    = AES-CM(master_key, x * 2^16)    (keystream, truncated to the wanted length)
/// </code>
/// Runs once per DTLS handshake, so it may allocate.
/// </summary>
public static class SrtpKeyDerivation
{
    private const int PrfInputLength = 14;
    private const int BlockLength = 16;

    /// <summary>Derives one session key into <paramref name="destination"/> (any length up to 2^16 blocks).</summary>
    public static void DeriveKey(
        ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpKeyLabel label, Span<byte> destination)
    {
        if (masterKey.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException("The master key must be an AES key (16, 24 or 32 octets).", nameof(masterKey));
        }

        if (masterSalt.Length > PrfInputLength)
        {
            throw new ArgumentException("The master salt must be at most 14 octets.", nameof(masterSalt));
        }

        if (destination.IsEmpty)
        {
            return;
        }

        Span<byte> counterBlock = stackalloc byte[BlockLength];
        counterBlock.Clear();
        masterSalt.CopyTo(counterBlock);
        counterBlock[7] ^= (byte)label;

        int blocks = (destination.Length + BlockLength - 1) / BlockLength;
        byte[] counters = new byte[blocks * BlockLength];
        for (int j = 0; j < blocks; j++)
        {
            Span<byte> block = counters.AsSpan(j * BlockLength, BlockLength);
            counterBlock.CopyTo(block);
            block[14] = (byte)(j >> 8);
            block[15] = (byte)j;
        }

        using Aes aes = Aes.Create();
        aes.Key = masterKey.ToArray();
        byte[] keystream = aes.EncryptEcb(counters, PaddingMode.None);
        keystream.AsSpan(0, destination.Length).CopyTo(destination);
        CryptographicOperations.ZeroMemory(keystream);
    }

    /// <summary>Derives all six session keys of one crypto context from the DTLS-SRTP master key and salt.</summary>
    public static SrtpSessionKeys DeriveSessionKeys(
        SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (!profile.IsSupported())
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP protection profile.");
        }

        if (masterKey.Length != profile.MasterKeyLength())
        {
            throw new ArgumentException(
                $"{profile} needs a {profile.MasterKeyLength()}-octet master key, got {masterKey.Length}.", nameof(masterKey));
        }

        if (masterSalt.Length != profile.MasterSaltLength())
        {
            throw new ArgumentException(
                $"{profile} needs a {profile.MasterSaltLength()}-octet master salt, got {masterSalt.Length}.", nameof(masterSalt));
        }

        int keyLength = profile.MasterKeyLength();
        int authLength = profile.SessionAuthKeyLength();
        int saltLength = profile.MasterSaltLength();
        Span<byte> material = stackalloc byte[2 * (keyLength + authLength + saltLength)];
        Span<byte> rtpKey = material[..keyLength];
        Span<byte> rtpAuth = material.Slice(keyLength, authLength);
        Span<byte> rtpSalt = material.Slice(keyLength + authLength, saltLength);
        Span<byte> rtcp = material[(keyLength + authLength + saltLength)..];
        Span<byte> rtcpKey = rtcp[..keyLength];
        Span<byte> rtcpAuth = rtcp.Slice(keyLength, authLength);
        Span<byte> rtcpSalt = rtcp.Slice(keyLength + authLength, saltLength);

        DeriveKey(masterKey, masterSalt, SrtpKeyLabel.RtpEncryption, rtpKey);
        DeriveKey(masterKey, masterSalt, SrtpKeyLabel.RtpAuthentication, rtpAuth);
        DeriveKey(masterKey, masterSalt, SrtpKeyLabel.RtpSalt, rtpSalt);
        DeriveKey(masterKey, masterSalt, SrtpKeyLabel.RtcpEncryption, rtcpKey);
        DeriveKey(masterKey, masterSalt, SrtpKeyLabel.RtcpAuthentication, rtcpAuth);
        DeriveKey(masterKey, masterSalt, SrtpKeyLabel.RtcpSalt, rtcpSalt);

        var keys = new SrtpSessionKeys(profile, rtpKey, rtpAuth, rtpSalt, rtcpKey, rtcpAuth, rtcpSalt);
        CryptographicOperations.ZeroMemory(material);
        return keys;
    }
}
