namespace LiveHost.Srt.MpegTs;

/// <summary>
/// CRC-32/MPEG-2 (ISO 13818-1 Annex A): polynomial 0x04C11DB7, MSB first, initial value 0xFFFFFFFF, no final XOR.
/// Every PSI section (PAT, PMT) ends with it; a section whose bytes including the CRC run through it gives 0.
/// Check value: "123456789" -> 0x0376E6E7.
/// </summary>
public static class Crc32Mpeg2
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = (crc << 8) ^ Table[((crc >> 24) ^ b) & 0xFF];
        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i << 24;
            for (var bit = 0; bit < 8; bit++) c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            table[i] = c;
        }
        return table;
    }
}
