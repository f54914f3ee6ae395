using System.Buffers.Binary;

namespace LiveHost.Rtmp;

/// <summary>
/// The plain RTMP handshake (RTMP 1.0, section 5.2): client sends C0 (version 3) and C1 (time, zero, 1528 random
/// bytes); server answers S0, S1, S2; client echoes S1 as C2. nginx-rtmp, SRS and most CDNs accept it for
/// publishing; only Flash-era servers insisted on the digest variant.
/// </summary>
public static class RtmpHandshake
{
    public const byte Version = 3;
    public const int PacketSize = 1536;

    /// <summary>Writes C0 and C1 (1 + 1536 bytes).</summary>
    public static int WriteC0C1(Span<byte> destination, uint timestamp, Random random)
    {
        var span = destination[..(1 + PacketSize)];
        span[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], 0);
        random.NextBytes(span[9..]);
        return span.Length;
    }

    /// <summary>Checks S0 and returns false when the server speaks another version (e.g. RTMPE's 6).</summary>
    public static bool IsSupportedVersion(byte s0) => s0 == Version;

    /// <summary>C2 is S1 echoed back (the plain handshake does not verify S2 against C1).</summary>
    public static int WriteC2(Span<byte> destination, ReadOnlySpan<byte> s1)
    {
        s1[..PacketSize].CopyTo(destination);
        return PacketSize;
    }
}
