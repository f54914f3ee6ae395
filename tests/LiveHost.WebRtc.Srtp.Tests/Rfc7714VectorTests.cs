namespace LiveHost.WebRtc.Srtp.Tests;

/// <summary>
/// RFC 7714 §16.1 (SRTP) and §17.1 / §17.3 (SRTCP, encrypted and tag-only) for AEAD_AES_128_GCM. The RFC gives
/// session keys, not master keys: key 000102..0f, salt "Quid pro quo" for both SRTP and SRTCP.
/// </summary>
public sealed class Rfc7714VectorTests
{
    private static readonly byte[] Key = Hex.Bytes("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] Salt = Hex.Bytes("517569642070726f2071756f");

    private const string RtpPlain = """
        8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976
        69736120 696e2070 61727465 73207472 6573
        """;

    private const string RtpProtected = """
        8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5
        0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce
        """;

    private const string RtcpPlain = """
        81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef deadbeef
        """;

    private const string RtcpProtected = """
        81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d
        c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872
        45d9eade 800005d4
        """;

    private const string RtcpTagOnly = """
        81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef deadbeef 841dd968 3dd78ec9 2ae58790
        125f62b3 000005d4
        """;

    private static SrtpContext NewContext() =>
        new(new SrtpSessionKeys(SrtpProfile.AeadAes128Gcm, Key, [], Salt, Key, [], Salt));

    [Fact]
    public void Section_16_1_rtp_encryption_is_byte_exact()
    {
        using SrtpContext context = NewContext();
        byte[] plain = Hex.Bytes(RtpPlain);
        byte[] buffer = new byte[plain.Length + context.RtpOverhead];
        plain.CopyTo(buffer, 0);

        int length = context.ProtectRtp(buffer, plain.Length);

        Assert.Equal(Hex.Bytes(RtpProtected), buffer[..length]);
    }

    [Fact]
    public void Section_16_1_rtp_decryption_recovers_the_packet()
    {
        using SrtpContext context = NewContext();
        byte[] buffer = Hex.Bytes(RtpProtected);

        Assert.True(context.TryUnprotectRtp(buffer, buffer.Length, out int plainLength));
        Assert.Equal(Hex.Bytes(RtpPlain), buffer[..plainLength]);
    }

    [Fact]
    public void Section_17_1_rtcp_encryption_is_byte_exact()
    {
        using SrtpContext context = NewContext();
        context.SetNextSrtcpIndex(0x4d617273, 0x5d4);
        byte[] plain = Hex.Bytes(RtcpPlain);
        byte[] buffer = new byte[plain.Length + context.RtcpOverhead];
        plain.CopyTo(buffer, 0);

        int length = context.ProtectRtcp(buffer, plain.Length);

        Assert.Equal(Hex.Bytes(RtcpProtected), buffer[..length]);
    }

    [Fact]
    public void Section_17_1_rtcp_decryption_recovers_the_packet()
    {
        using SrtpContext context = NewContext();
        byte[] buffer = Hex.Bytes(RtcpProtected);

        Assert.True(context.TryUnprotectRtcp(buffer, buffer.Length, out int plainLength));
        Assert.Equal(Hex.Bytes(RtcpPlain), buffer[..plainLength]);
    }

    [Fact]
    public void Section_17_3_tag_only_rtcp_verifies_and_stays_in_the_clear()
    {
        using SrtpContext context = NewContext();
        byte[] buffer = Hex.Bytes(RtcpTagOnly);

        Assert.True(context.TryUnprotectRtcp(buffer, buffer.Length, out int plainLength));
        Assert.Equal(Hex.Bytes(RtcpPlain), buffer[..plainLength]);

        byte[] forged = Hex.Bytes(RtcpTagOnly);
        forged[20] ^= 0x01;
        using SrtpContext other = NewContext();
        Assert.False(other.TryUnprotectRtcp(forged, forged.Length, out _));
    }

    [Fact]
    public void Gcm_key_derivation_pads_the_12_octet_salt_like_libsrtp()
    {
        // Cross-check, not an RFC vector (RFC 7714 has none for the KDF): the SRTP session salt libsrtp and
        // webrtc-srtp derive from key 00..0f and salt 40..4b, with the label in octet 7 of the zero-padded salt.
        SrtpSessionKeys keys = SrtpKeyDerivation.DeriveSessionKeys(
            SrtpProfile.AeadAes128Gcm, Hex.Bytes("000102030405060708090a0b0c0d0e0f"), Hex.Bytes("404142434445464748494a4b"));

        Assert.Equal("1fcd5d561e66dc49ec1c3ccb", Hex.Of(keys.RtpSalt.Span));
        Assert.Equal(16, keys.RtpEncryptionKey.Length);
        Assert.True(keys.RtpAuthenticationKey.IsEmpty);
        Assert.Equal(12, keys.RtcpSalt.Length);
    }
}
