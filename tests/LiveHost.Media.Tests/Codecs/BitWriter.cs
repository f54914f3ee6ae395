namespace LiveHost.Media.Tests.Codecs;

/// <summary>Writes bits and Exp-Golomb codes MSB first, to hand-make H.264 parameter sets for tests.</summary>
public sealed class BitWriter
{
    private readonly List<bool> _bits = [];

    public BitWriter Bits(uint value, int count)
    {
        for (var i = count - 1; i >= 0; i--) _bits.Add(((value >> i) & 1) == 1);
        return this;
    }

    public BitWriter Flag(bool value) => Bits(value ? 1u : 0u, 1);

    public BitWriter Ue(uint value)
    {
        var code = value + 1;
        var length = 32 - uint.LeadingZeroCount(code);
        Bits(0, (int)length - 1);
        return Bits(code, (int)length);
    }

    /// <summary>Appends the RBSP stop bit and zero padding, then inserts emulation-prevention bytes.</summary>
    public byte[] ToNal(byte header)
    {
        var bits = new List<bool>(_bits) { true };
        while (bits.Count % 8 != 0) bits.Add(false);
        var rbsp = new List<byte>();
        for (var i = 0; i < bits.Count; i += 8)
        {
            byte b = 0;
            for (var j = 0; j < 8; j++) b = (byte)((b << 1) | (bits[i + j] ? 1 : 0));
            rbsp.Add(b);
        }
        var nal = new List<byte> { header };
        var zeros = 0;
        foreach (var b in rbsp)
        {
            if (zeros >= 2 && b <= 3)
            {
                nal.Add(3);
                zeros = 0;
            }
            nal.Add(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return nal.ToArray();
    }
}
