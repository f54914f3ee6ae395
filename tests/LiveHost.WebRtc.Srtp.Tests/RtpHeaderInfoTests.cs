using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LiveHost.WebRtc.Srtp.Tests;

/// <summary>Locating the payload behind CSRCs and header extensions, and SRTCP packets sent unencrypted (E = 0).</summary>
public sealed class RtpHeaderInfoTests
{
    [Theory]
    [InlineData(0, 0, 12)]
    [InlineData(3, 0, 24)]
    [InlineData(0, 2, 24)]
    [InlineData(15, 5, 12 + 60 + 4 + 20)]
    public void Header_length_counts_csrcs_and_extension(int csrcCount, int extensionWords, int expected)
    {
        byte[] packet = TestPackets.Rtp(0xBEEF, 0xCAFEBABE, 10, csrcCount, extensionWords);

        Assert.True(RtpHeaderInfo.TryRead(packet, out uint ssrc, out ushort seq, out int headerLength));
        Assert.Equal((0xCAFEBABEu, (ushort)0xBEEF, expected), (ssrc, seq, headerLength));
    }

    [Fact]
    public void Truncated_or_wrong_version_headers_are_refused()
    {
        byte[] packet = TestPackets.Rtp(1, 2, 0, csrcCount: 2, extensionWords: 3);

        Assert.True(RtpHeaderInfo.TryRead(packet, out _, out _, out _));
        Assert.False(RtpHeaderInfo.TryRead(packet.AsSpan(0, packet.Length - 1), out _, out _, out _));
        Assert.False(RtpHeaderInfo.TryRead(packet.AsSpan(0, 21), out _, out _, out _));
        Assert.False(RtpHeaderInfo.TryRead(packet.AsSpan(0, 11), out _, out _, out _));
        packet[0] = (byte)((packet[0] & 0x3F) | 0x40);
        Assert.False(RtpHeaderInfo.TryRead(packet, out _, out _, out _));
    }

    [Fact]
    public void Aes_cm_srtcp_with_e_flag_clear_is_authenticated_and_left_in_the_clear()
    {
        byte[] masterKey = Hex.Bytes("e1f97a0d3e018be0d64fa32c06de4139");
        byte[] masterSalt = Hex.Bytes("0ec675ad498afeebb6960b3aabe6");
        byte[] authKey = new byte[20];
        SrtpKeyDerivation.DeriveKey(masterKey, masterSalt, SrtpKeyLabel.RtcpAuthentication, authKey);
        byte[] plain = TestPackets.Rtcp(0x01020304);

        // RFC 3711 §3.4 by hand: packet || 0 | index || HMAC-SHA1(k_a, packet || 0 | index)[0..10].
        byte[] wire = new byte[plain.Length + 14];
        plain.CopyTo(wire, 0);
        BinaryPrimitives.WriteUInt32BigEndian(wire.AsSpan(plain.Length), 5);
        using (var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, authKey))
        {
            hmac.AppendData(wire.AsSpan(0, plain.Length + 4));
            hmac.GetHashAndReset().AsSpan(0, 10).CopyTo(wire.AsSpan(plain.Length + 4));
        }

        using var receiver = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, masterKey, masterSalt);
        byte[] forged = (byte[])wire.Clone();
        forged[9] ^= 1;
        Assert.False(receiver.TryUnprotectRtcp(forged, forged.Length, out _));
        Assert.True(receiver.TryUnprotectRtcp(wire, wire.Length, out int plainLength));
        Assert.Equal(plain, wire[..plainLength]);
    }
}
