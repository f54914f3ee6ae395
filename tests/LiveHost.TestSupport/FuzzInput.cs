using System.Buffers;

namespace LiveHost.TestSupport;

/// <summary>Inputs for parser fuzz tests: random bytes, seeds mutated four ways, and buffers cut into random segments.</summary>
public static class FuzzInput
{
    public static byte[] Mutate(Random random, byte[] seed)
    {
        var data = seed.ToArray();
        switch (random.Next(4))
        {
            case 0: // flip bytes
                for (var i = 0; i < 1 + random.Next(4) && data.Length > 0; i++) data[random.Next(data.Length)] = (byte)random.Next(256);
                return data;
            case 1: // truncate
                return data[..random.Next(data.Length + 1)];
            case 2: // flip bits
                for (var i = 0; i < 1 + random.Next(8) && data.Length > 0; i++) data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                return data;
            default: // splice random bytes in
                var extra = new byte[random.Next(1, 16)];
                random.NextBytes(extra);
                var at = random.Next(data.Length + 1);
                return [.. data[..at], .. extra, .. data[at..]];
        }
    }

    public static byte[] RandomBytes(Random random, int maxLength)
    {
        var data = new byte[random.Next(maxLength)];
        random.NextBytes(data);
        return data;
    }

    public static ReadOnlySequence<byte> Segmented(Random random, byte[] data)
    {
        var cuts = Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(Math.Max(1, data.Length))).ToArray();
        return SegmentedSequence.Split(data, cuts);
    }
}
