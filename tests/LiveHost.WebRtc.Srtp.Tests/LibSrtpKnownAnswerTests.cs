namespace LiveHost.WebRtc.Srtp.Tests;

/// <summary>
/// libsrtp's srtp_driver reference packets for SRTP_AES128_CM_HMAC_SHA1_80 (srtp_validate): master key and salt
/// in, so the KDF, AES-CM and HMAC-SHA1 are checked together. SSRC 0xcafebabe, seq 0x1234, first SRTCP index 1.
/// </summary>
public sealed class LibSrtpKnownAnswerTests
{
    private static readonly byte[] MasterKey = Hex.Bytes("e1f97a0d3e018be0d64fa32c06de4139");
    private static readonly byte[] MasterSalt = Hex.Bytes("0ec675ad498afeebb6960b3aabe6");

    private const string RtpPlain = "800f1234decafbadcafebabe abababababababababababababababab";
    private const string RtpProtected = "800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb";
    private const string RtcpPlain = "81c8000bcafebabe abababababababababababababababab";
    private const string RtcpProtected = "81c8000bcafebabe 7128035be487b9bdbef89041f977a5a8 80000001 993e08cd54d6c1230798";

    [Fact]
    public void Protect_rtp_reproduces_the_libsrtp_reference_packet()
    {
        using var context = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, MasterSalt);
        byte[] plain = Hex.Bytes(RtpPlain);
        byte[] buffer = new byte[plain.Length + context.RtpOverhead];
        plain.CopyTo(buffer, 0);

        int length = context.ProtectRtp(buffer, plain.Length);

        Assert.Equal(Hex.Bytes(RtpProtected), buffer[..length]);
    }

    [Fact]
    public void Unprotect_rtp_recovers_the_libsrtp_plaintext()
    {
        using var context = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, MasterSalt);
        byte[] buffer = Hex.Bytes(RtpProtected);

        Assert.True(context.TryUnprotectRtp(buffer, buffer.Length, out int plainLength));
        Assert.Equal(Hex.Bytes(RtpPlain), buffer[..plainLength]);
    }

    [Fact]
    public void Protect_rtcp_reproduces_the_libsrtp_reference_packet()
    {
        using var context = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, MasterSalt);
        byte[] plain = Hex.Bytes(RtcpPlain);
        byte[] buffer = new byte[plain.Length + context.RtcpOverhead];
        plain.CopyTo(buffer, 0);

        int length = context.ProtectRtcp(buffer, plain.Length);

        Assert.Equal(Hex.Bytes(RtcpProtected), buffer[..length]);
    }

    [Fact]
    public void Unprotect_rtcp_recovers_the_libsrtp_plaintext()
    {
        using var context = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, MasterKey, MasterSalt);
        byte[] buffer = Hex.Bytes(RtcpProtected);

        Assert.True(context.TryUnprotectRtcp(buffer, buffer.Length, out int plainLength));
        Assert.Equal(Hex.Bytes(RtcpPlain), buffer[..plainLength]);
    }
}
