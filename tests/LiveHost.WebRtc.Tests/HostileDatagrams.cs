using System.Buffers.Binary;
using System.Text;

namespace LiveHost.WebRtc.Tests;

/// <summary>Random and mutated STUN, DTLS-record and RTCP datagrams, shaped enough to get past the first byte checks.</summary>
public static class HostileDatagrams
{
    public static byte[] Next(Random random, string localUfrag)
    {
        var datagram = random.Next(3) switch
        {
            0 => Stun(random, localUfrag),
            1 => Dtls(random),
            _ => Rtcp(random),
        };
        return Mutate(random, datagram);
    }

    private static byte[] Stun(Random random, string localUfrag)
    {
        var username = System.Text.Encoding.UTF8.GetBytes(localUfrag + ":" + "abcd");
        var attributes = 4 + ((username.Length + 3) & ~3) + 24 + 8;
        var packet = new byte[20 + attributes];
        BinaryPrimitives.WriteUInt16BigEndian(packet, 0x0001);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)attributes);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 0x2112A442);
        random.NextBytes(packet.AsSpan(8, 12));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 0x0006);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), (ushort)username.Length);
        username.CopyTo(packet, 24);
        var at = 24 + ((username.Length + 3) & ~3);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at), 0x0008); // MESSAGE-INTEGRITY, random: must fail
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at + 2), 20);
        random.NextBytes(packet.AsSpan(at + 4, 20));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at + 24), 0x8028);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at + 26), 4);
        random.NextBytes(packet.AsSpan(at + 28, 4));
        return packet;
    }

    private static byte[] Dtls(Random random)
    {
        var body = random.Next(0, 300);
        var packet = new byte[13 + body];
        packet[0] = (byte)random.Next(20, 24);
        packet[1] = 0xFE;
        packet[2] = random.Next(2) == 0 ? (byte)0xFD : (byte)0xFF;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(3), (ushort)random.Next(0, 3));
        random.NextBytes(packet.AsSpan(5, 6));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(11), (ushort)body);
        random.NextBytes(packet.AsSpan(13));
        return packet;
    }

    private static byte[] Rtcp(Random random)
    {
        var words = random.Next(1, 40);
        var packet = new byte[4 * (words + 1) + 14];
        packet[0] = (byte)(0x80 | random.Next(0, 32));
        packet[1] = (byte)random.Next(200, 207);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)words);
        random.NextBytes(packet.AsSpan(4));
        return packet;
    }

    private static byte[] Mutate(Random random, byte[] packet)
    {
        switch (random.Next(4))
        {
            case 0:
                return packet;
            case 1:
                for (var i = random.Next(1, 8); i > 0; i--) packet[random.Next(1, packet.Length)] ^= (byte)(1 << random.Next(8));
                return packet;
            case 2:
                return packet[..random.Next(1, packet.Length + 1)];
            default:
                var longer = new byte[packet.Length + random.Next(1, 64)];
                packet.CopyTo(longer, 0);
                random.NextBytes(longer.AsSpan(packet.Length));
                return longer;
        }
    }
}
