using System.Net;
using System.Text;

namespace LiveHost.WebRtc.Ice.Tests;

public sealed class StunMessageWriterTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Rfc5769Vectors.Password);

    [Fact]
    public void Writer_ReproducesRfc5769Ipv4ResponseUpToThePaddingByte()
    {
        byte[] expected = Rfc5769Vectors.Ipv4Response;
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccessResponse, expected.AsSpan(8, 12));
        writer.AddAttribute(StunAttributeType.Software, "test vector"u8);
        writer.AddXorMappedAddress(IPAddress.Parse("192.0.2.1"), 32853);
        writer.AddMessageIntegrity(Key);
        writer.AddFingerprint();
        byte[] written = writer.WrittenSpan.ToArray();

        Assert.Equal(expected.Length, written.Length);
        // The RFC pads SOFTWARE with a space (0x20); we pad with zero as RFC 8489 asks. Patch that byte and the
        // header, SOFTWARE and XOR-MAPPED-ADDRESS must match the RFC exactly.
        written[35] = 0x20;
        Assert.Equal(expected.AsSpan(0, 48).ToArray(), written.AsSpan(0, 48).ToArray());
        Assert.True(StunMessage.TryParse(writer.WrittenSpan, out var reparsed));
        Assert.True(reparsed.VerifyMessageIntegrity(Key));
        Assert.True(reparsed.VerifyFingerprint());
    }

    [Fact]
    public void Writer_XorMappedAddressV6_MatchesRfc5769Ipv6Response()
    {
        byte[] expected = Rfc5769Vectors.Ipv6Response;
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccessResponse, expected.AsSpan(8, 12));
        writer.AddAttribute(StunAttributeType.Software, "test vector"u8);
        writer.AddXorMappedAddress(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853);

        Assert.Equal(expected.AsSpan(36, 24).ToArray(), writer.WrittenSpan.Slice(36, 24).ToArray());
    }

    [Fact]
    public void Writer_Ipv4MappedIpv6Address_IsWrittenAsIpv4()
    {
        var buffer = new byte[128];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccessResponse, new byte[12]);
        writer.AddXorMappedAddress(IPAddress.Parse("::ffff:10.1.2.3"), 5000);

        Assert.True(StunMessage.TryParse(writer.WrittenSpan, out var message));
        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 5000), mapped);
    }

    [Theory]
    [InlineData(400, "Bad Request")]
    [InlineData(401, "Unauthorized")]
    [InlineData(487, "Role Conflict")]
    public void Writer_ErrorCode_RoundTrips(int code, string reason)
    {
        var buffer = new byte[128];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingErrorResponse, new byte[12]);
        writer.AddErrorCode(code, Encoding.UTF8.GetBytes(reason));
        writer.AddFingerprint();

        Assert.True(StunMessage.TryParse(writer.WrittenSpan, out var message));
        Assert.True(message.TryGetErrorCode(out int parsedCode, out var parsedReason));
        Assert.Equal(code, parsedCode);
        Assert.Equal(reason, Encoding.UTF8.GetString(parsedReason));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void Writer_TooSmallDestination_Throws()
    {
        var buffer = new byte[24];
        Assert.Throws<ArgumentException>(() =>
        {
            var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, new byte[12]);
            writer.AddMessageIntegrity(Key);
        });
    }

    [Fact]
    public void AttributesAfterMessageIntegrity_AreNotReturned()
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, new byte[12]);
        writer.AddUsername("a:b"u8);
        writer.AddMessageIntegrity(Key);
        writer.AddUseCandidate(); // unauthenticated: RFC 8489 §14.5 says ignore it
        writer.AddFingerprint();

        Assert.True(StunMessage.TryParse(writer.WrittenSpan, out var message));
        Assert.True(message.TryGetUsername(out _));
        Assert.False(message.HasUseCandidate);
        Assert.True(message.VerifyFingerprint());
    }
}
