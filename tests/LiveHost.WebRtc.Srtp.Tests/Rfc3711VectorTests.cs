namespace LiveHost.WebRtc.Srtp.Tests;

/// <summary>RFC 3711 Appendix B.2 (AES-CM keystream) and B.3 (key derivation), byte-exact.</summary>
public sealed class Rfc3711VectorTests
{
    private static readonly byte[] B2SessionKey = Hex.Bytes("2B7E151628AED2A6ABF7158809CF4F3C");
    private static readonly byte[] B2SessionSalt = Hex.Bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
    private static readonly byte[] B3MasterKey = Hex.Bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] B3MasterSalt = Hex.Bytes("0EC675AD498AFEEBB6960B3AABE6");

    [Fact]
    public void Aes_cm_keystream_segment_matches_appendix_b2_at_both_ends()
    {
        // SSRC 0 and index 0, so the IV is the (already shifted) salt; 65282 blocks as in the RFC.
        Span<byte> iv = stackalloc byte[16];
        AesCmHmacSha1Transform.BuildIv(iv, B2SessionSalt, ssrc: 0, index: 0);
        Assert.Equal("f0f1f2f3f4f5f6f7f8f9fafbfcfd0000", Hex.Of(iv));

        byte[] segment = new byte[1044512];
        using var cipher = new AesCounterMode(B2SessionKey);
        cipher.Transform(iv, segment);

        Assert.Equal(
            Hex.Bytes("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB 41E95B3BB0A2E8DD477901E4FCA894C0"),
            segment[..48]);
        Assert.Equal(
            Hex.Bytes("EC8CDF7398607CB0F2D21675EA9EA1E4 362B7C3C6773516318A077D7FC5073AE 6A2CC3787889374FBEB4C81B17BA6C44"),
            segment[^48..]);
    }

    [Fact]
    public void Protecting_zero_payload_with_b2_session_keys_yields_the_b2_keystream()
    {
        var keys = new SrtpSessionKeys(
            SrtpProfile.Aes128CmHmacSha1_80, B2SessionKey, new byte[20], B2SessionSalt, B2SessionKey, new byte[20], B2SessionSalt);
        using var context = new SrtpContext(keys);
        byte[] packet = new byte[12 + 48 + context.RtpOverhead];
        packet[0] = 0x80; // V=2, seq 0, SSRC 0: index 0

        int length = context.ProtectRtp(packet, 12 + 48);

        Assert.Equal(12 + 48 + 10, length);
        Assert.Equal(
            Hex.Bytes("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB 41E95B3BB0A2E8DD477901E4FCA894C0"),
            packet[12..60]);
    }

    [Fact]
    public void Key_derivation_matches_appendix_b3()
    {
        byte[] cipherKey = new byte[16];
        byte[] cipherSalt = new byte[14];
        byte[] authKey = new byte[94];
        SrtpKeyDerivation.DeriveKey(B3MasterKey, B3MasterSalt, SrtpKeyLabel.RtpEncryption, cipherKey);
        SrtpKeyDerivation.DeriveKey(B3MasterKey, B3MasterSalt, SrtpKeyLabel.RtpSalt, cipherSalt);
        SrtpKeyDerivation.DeriveKey(B3MasterKey, B3MasterSalt, SrtpKeyLabel.RtpAuthentication, authKey);

        Assert.Equal("c61e7a93744f39ee10734afe3ff7a087", Hex.Of(cipherKey));
        Assert.Equal("30cbbc08863d8c85d49db34a9ae1", Hex.Of(cipherSalt));
        Assert.Equal(
            Hex.Bytes("""
                CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2
                """),
            authKey);
    }

    [Fact]
    public void Session_keys_use_the_b3_values_and_distinct_srtcp_labels()
    {
        SrtpSessionKeys keys = SrtpKeyDerivation.DeriveSessionKeys(SrtpProfile.Aes128CmHmacSha1_80, B3MasterKey, B3MasterSalt);

        Assert.Equal("c61e7a93744f39ee10734afe3ff7a087", Hex.Of(keys.RtpEncryptionKey.Span));
        Assert.Equal("30cbbc08863d8c85d49db34a9ae1", Hex.Of(keys.RtpSalt.Span));
        Assert.Equal("cebe321f6ff7716b6fd4ab49af256a156d38baa4", Hex.Of(keys.RtpAuthenticationKey.Span));

        byte[] rtcpKey = new byte[16];
        SrtpKeyDerivation.DeriveKey(B3MasterKey, B3MasterSalt, SrtpKeyLabel.RtcpEncryption, rtcpKey);
        Assert.Equal(rtcpKey, keys.RtcpEncryptionKey.ToArray());
        Assert.NotEqual(keys.RtpEncryptionKey.ToArray(), keys.RtcpEncryptionKey.ToArray());
        Assert.Equal(14, keys.RtcpSalt.Length);
        Assert.Equal(20, keys.RtcpAuthenticationKey.Length);
    }
}
