namespace LiveHost.Media.Codecs;

/// <summary>
/// Reads bits and Exp-Golomb codes (H.264 9.1) from an RBSP, i.e. a NAL payload with its emulation-prevention
/// bytes already removed. Reading past the end never throws: it yields zeros and sets <see cref="Overrun"/>,
/// so a parser checks once at the end instead of after every field.
/// </summary>
public ref struct RbspBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _bitPosition;

    public RbspBitReader(ReadOnlySpan<byte> rbsp)
    {
        _data = rbsp;
        _bitPosition = 0;
        Overrun = false;
    }

    public bool Overrun { get; private set; }

    public uint ReadBit()
    {
        if (_bitPosition >= _data.Length * 8)
        {
            Overrun = true;
            return 0;
        }
        var bit = (uint)(_data[_bitPosition >> 3] >> (7 - (_bitPosition & 7))) & 1;
        _bitPosition++;
        return bit;
    }

    public uint ReadBits(int count)
    {
        uint value = 0;
        for (var i = 0; i < count; i++) value = (value << 1) | ReadBit();
        return value;
    }

    public bool ReadFlag() => ReadBit() == 1;

    /// <summary>ue(v). Codes longer than 32 bits are not valid H.264 and mark the reader overrun.</summary>
    public uint ReadUe()
    {
        var leadingZeros = 0;
        while (ReadBit() == 0)
        {
            if (Overrun || ++leadingZeros > 31)
            {
                Overrun = true;
                return 0;
            }
        }
        if (leadingZeros == 0) return 0;
        return (uint)((1L << leadingZeros) - 1 + ReadBits(leadingZeros));
    }

    /// <summary>se(v).</summary>
    public int ReadSe()
    {
        var code = ReadUe();
        var magnitude = (int)((code + 1) >> 1);
        return (code & 1) == 1 ? magnitude : -magnitude;
    }

    /// <summary>
    /// Copies a NAL payload into <paramref name="rbsp"/> without its emulation-prevention bytes
    /// (the 0x03 in every 0x00 0x00 0x03). Returns the bytes written; <paramref name="rbsp"/> must be at least as long.
    /// </summary>
    public static int Unescape(ReadOnlySpan<byte> nalPayload, Span<byte> rbsp)
    {
        var written = 0;
        var zeros = 0;
        foreach (var b in nalPayload)
        {
            if (zeros >= 2 && b == 0x03)
            {
                zeros = 0;
                continue;
            }
            rbsp[written++] = b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return written;
    }
}
