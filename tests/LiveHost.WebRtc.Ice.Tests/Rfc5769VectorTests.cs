using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace LiveHost.WebRtc.Ice.Tests;

public sealed class Rfc5769VectorTests
{
    private static readonly byte[] ShortTermKey = Encoding.UTF8.GetBytes(Rfc5769Vectors.Password);

    [Fact]
    public void SampleRequest_ParsesWithIceAttributesIntegrityAndFingerprint()
    {
        Assert.True(StunMessage.TryParse(Rfc5769Vectors.Request, out var message));

        Assert.Equal(StunMessageType.BindingRequest, message.MessageType);
        Assert.Equal(Rfc5769Vectors.Hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"), message.TransactionId.ToArray());
        Assert.True(message.TryGetUsername(out var username));
        Assert.Equal(Rfc5769Vectors.Username, Encoding.UTF8.GetString(username));
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out var software));
        Assert.Equal(Rfc5769Vectors.SoftwareRequest, Encoding.UTF8.GetString(software));
        Assert.True(message.TryGetPriority(out uint priority));
        Assert.Equal(0x6e0001ffu, priority);
        Assert.True(message.TryGetIceControlled(out ulong tieBreaker));
        Assert.Equal(0x932ff9b151263b36ul, tieBreaker);
        Assert.False(message.TryGetIceControlling(out _));
        Assert.False(message.HasUseCandidate);
        Assert.True(message.VerifyFingerprint());
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
        Assert.False(message.VerifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBu"u8));
    }

    [Fact]
    public void SampleIpv4Response_DecodesXorMappedAddressAndVerifies()
    {
        Assert.True(StunMessage.TryParse(Rfc5769Vectors.Ipv4Response, out var message));

        Assert.Equal(StunMessageType.BindingSuccessResponse, message.MessageType);
        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), mapped);
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void SampleIpv6Response_DecodesXorMappedAddressAndVerifies()
    {
        Assert.True(StunMessage.TryParse(Rfc5769Vectors.Ipv6Response, out var message));

        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), mapped);
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void LongTermRequest_ParsesWithoutFingerprintAndVerifiesWithMd5Key()
    {
        Assert.True(StunMessage.TryParse(Rfc5769Vectors.LongTermRequest, out var message));

        Assert.False(message.HasFingerprint);
        Assert.False(message.VerifyFingerprint());
        Assert.True(message.TryGetUsername(out var username));
        Assert.Equal(Rfc5769Vectors.LongTermUsername, Encoding.UTF8.GetString(username));
        Assert.True(message.TryGetAttribute(0x0014, out var realm));
        Assert.Equal(Rfc5769Vectors.LongTermRealm, Encoding.UTF8.GetString(realm));
        Assert.True(message.TryGetAttribute(0x0015, out var nonce));
        Assert.Equal(Rfc5769Vectors.LongTermNonce, Encoding.UTF8.GetString(nonce));

#pragma warning disable CA5351 // RFC 8489 §9.2.2 defines the long-term key as MD5; this is the RFC's own vector.
        byte[] key = MD5.HashData(Encoding.UTF8.GetBytes(
            $"{Rfc5769Vectors.LongTermUsername}:{Rfc5769Vectors.LongTermRealm}:{Rfc5769Vectors.LongTermPreparedPassword}"));
#pragma warning restore CA5351
        Assert.True(message.VerifyMessageIntegrity(key));
        Assert.False(message.VerifyMessageIntegrity(ShortTermKey));
    }

    [Fact]
    public void Crc32_MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void SampleRequest_WithOneFlippedAttributeBit_FailsFingerprintAndIntegrity()
    {
        byte[] tampered = Rfc5769Vectors.Request;
        tampered[30] ^= 0x01; // inside SOFTWARE

        Assert.True(StunMessage.TryParse(tampered, out var message));
        Assert.False(message.VerifyFingerprint());
        Assert.False(message.VerifyMessageIntegrity(ShortTermKey));
    }

    [Theory]
    [InlineData(1)] // truncated header
    [InlineData(19)]
    [InlineData(80)] // length field no longer matches
    public void TruncatedSampleRequest_IsRejected(int keep)
    {
        Assert.False(StunMessage.TryParse(Rfc5769Vectors.Request.AsSpan(0, keep), out _));
    }

    [Fact]
    public void SampleRequest_WithBadCookieOrTopBitsOrOddLength_IsRejected()
    {
        byte[] badCookie = Rfc5769Vectors.Request;
        badCookie[4] = 0x22;
        byte[] topBits = Rfc5769Vectors.Request;
        topBits[0] = 0x40;
        byte[] oddLength = Rfc5769Vectors.Request;
        oddLength[3] = 0x57;

        Assert.False(StunMessage.TryParse(badCookie, out _));
        Assert.False(StunMessage.TryParse(topBits, out _));
        Assert.False(StunMessage.TryParse(oddLength, out _));
        Assert.True(StunMessage.TryParse(Rfc5769Vectors.Request, out _));
    }
}
