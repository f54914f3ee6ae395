namespace LiveHost.WebRtc.Ice.Tests;

public sealed class PacketClassifierTests
{
    [Fact]
    public void Rfc5769Request_IsStun()
        => Assert.Equal(PacketKind.Stun, PacketClassifier.Classify(Rfc5769Vectors.Request));

    [Theory]
    [InlineData(0, 0, 20, PacketKind.Stun)]
    [InlineData(3, 0, 20, PacketKind.Stun)]
    [InlineData(1, 1, 19, PacketKind.Unknown)] // too short for a STUN header
    [InlineData(4, 0, 40, PacketKind.Unknown)]
    [InlineData(16, 0, 40, PacketKind.Unknown)] // ZRTP
    [InlineData(20, 0xFE, 13, PacketKind.Dtls)] // ChangeCipherSpec
    [InlineData(22, 0xFE, 100, PacketKind.Dtls)] // Handshake
    [InlineData(63, 0, 13, PacketKind.Dtls)]
    [InlineData(22, 0xFE, 12, PacketKind.Unknown)]
    [InlineData(64, 0, 40, PacketKind.Unknown)] // TURN channel
    [InlineData(127, 0, 40, PacketKind.Unknown)]
    [InlineData(0x80, 96, 12, PacketKind.Rtp)]
    [InlineData(0x80, 0xE0, 12, PacketKind.Rtp)] // PT 96 with marker: 224, not RTCP
    [InlineData(0x80, 96, 11, PacketKind.Unknown)]
    [InlineData(0x81, 200, 28, PacketKind.Rtcp)] // SR
    [InlineData(0x81, 205, 12, PacketKind.Rtcp)] // RTPFB (NACK)
    [InlineData(0x81, 206, 12, PacketKind.Rtcp)] // PSFB (PLI)
    [InlineData(0x80, 192, 8, PacketKind.Rtcp)]
    [InlineData(0x80, 223, 8, PacketKind.Rtcp)]
    [InlineData(0x80, 201, 7, PacketKind.Unknown)]
    [InlineData(191, 0, 12, PacketKind.Rtp)]
    [InlineData(192, 0, 40, PacketKind.Unknown)]
    [InlineData(255, 0, 40, PacketKind.Unknown)]
    public void Classify_FollowsRfc7983FirstByteRanges(int first, int second, int length, PacketKind expected)
    {
        var packet = new byte[length];
        if (length > 0)
        {
            packet[0] = (byte)first;
        }

        if (length > 1)
        {
            packet[1] = (byte)second;
        }

        Assert.Equal(expected, PacketClassifier.Classify(packet));
    }

    [Fact]
    public void Classify_Empty_IsUnknown() => Assert.Equal(PacketKind.Unknown, PacketClassifier.Classify([]));
}
