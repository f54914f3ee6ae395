using System.Buffers.Binary;

namespace LiveHost.WebRtc.Srtp.Tests;

/// <summary>Builds plain RTP and RTCP packets and paired sender/receiver contexts for the tests.</summary>
internal static class TestPackets
{
    public static readonly SrtpProfile[] Profiles = [SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm];

    public static (SrtpContext Sender, SrtpContext Receiver) Pair(SrtpProfile profile, int seed = 1)
    {
        var random = new Random(seed);
        byte[] key = new byte[profile.MasterKeyLength()];
        byte[] salt = new byte[profile.MasterSaltLength()];
        random.NextBytes(key);
        random.NextBytes(salt);
        return (new SrtpContext(profile, key, salt), new SrtpContext(profile, key, salt));
    }

    /// <summary>An RTP packet with optional CSRCs and a one-byte-header extension, payload filled from the seed.</summary>
    public static byte[] Rtp(ushort sequenceNumber, uint ssrc, int payloadLength, int csrcCount = 0, int extensionWords = 0, int seed = 7)
    {
        int header = 12 + (4 * csrcCount) + (extensionWords > 0 ? 4 + (4 * extensionWords) : 0);
        byte[] packet = new byte[header + payloadLength];
        packet[0] = (byte)(0x80 | (extensionWords > 0 ? 0x10 : 0) | csrcCount);
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequenceNumber * 3000u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (int i = 0; i < csrcCount; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12 + (4 * i)), 0x1000u + (uint)i);
        }

        if (extensionWords > 0)
        {
            int at = 12 + (4 * csrcCount);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at), 0xBEDE);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at + 2), (ushort)extensionWords);
            packet.AsSpan(at + 4, 4 * extensionWords).Fill(0x22);
        }

        new Random(seed + sequenceNumber).NextBytes(packet.AsSpan(header));
        return packet;
    }

    /// <summary>A sender report of the given length (multiple of 4, at least 28).</summary>
    public static byte[] Rtcp(uint ssrc, int length = 52, int seed = 11)
    {
        byte[] packet = new byte[length];
        new Random(seed).NextBytes(packet);
        packet[0] = 0x80;
        packet[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)((length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        return packet;
    }

    /// <summary>Copies <paramref name="plain"/> into a buffer with <paramref name="room"/> spare octets.</summary>
    public static byte[] WithRoom(byte[] plain, int room)
    {
        byte[] buffer = new byte[plain.Length + room];
        plain.CopyTo(buffer, 0);
        return buffer;
    }
}
