namespace LiveHost.WebRtc.Ice;

/// <summary>
/// CRC-32 (ISO-HDLC / IEEE 802.3, reflected polynomial 0xEDB88320) as STUN's FINGERPRINT needs (RFC 8489 §14.7).
/// A table version is written here because System.IO.Hashing is deliberately not referenced by the protocol projects.
/// </summary>
internal static class Crc32
{
    // Immutable after the type initializer: not mutable static state.
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
