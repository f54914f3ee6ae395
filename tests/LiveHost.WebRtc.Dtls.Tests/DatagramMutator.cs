using System.Buffers.Binary;

namespace LiveHost.WebRtc.Dtls.Tests;

/// <summary>Produces random and mutated datagrams from a seed corpus (seeded, so a failure reproduces).</summary>
internal sealed class DatagramMutator(int seed, IReadOnlyList<byte[]> corpus)
{
    private readonly Random _random = new(seed);

    public byte[] Next()
    {
        int kind = _random.Next(10);
        if (kind == 0 || corpus.Count == 0)
        {
            byte[] noise = new byte[_random.Next(0, 1600)];
            _random.NextBytes(noise);
            return noise;
        }

        byte[] datagram = (byte[])corpus[_random.Next(corpus.Count)].Clone();
        switch (kind)
        {
            case 1:
                // Flip a few bits anywhere.
                for (int i = _random.Next(1, 4); i > 0 && datagram.Length > 0; i--)
                {
                    datagram[_random.Next(datagram.Length)] ^= (byte)(1 << _random.Next(8));
                }

                return datagram;
            case 2:
                return datagram.AsSpan(0, _random.Next(datagram.Length + 1)).ToArray();
            case 3 when datagram.Length >= 13:
                // Lie about the record length.
                BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(11), (ushort)_random.Next(0, 65536));
                return datagram;
            case 4 when datagram.Length >= 13:
                // Another epoch or sequence number.
                BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(3), (ushort)_random.Next(0, 3));
                BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(7), (uint)_random.Next());
                return datagram;
            case 5 when datagram.Length >= 13:
                // Another content type or version.
                datagram[0] = (byte)_random.Next(18, 27);
                datagram[2] = (byte)_random.Next(0xFB, 0x100);
                return datagram;
            case 6 when datagram.Length > 14:
                // Garble the payload but keep the header.
                for (int i = 13; i < datagram.Length; i += _random.Next(1, 8))
                {
                    datagram[i] = (byte)_random.Next(256);
                }

                return datagram;
            case 7:
                // Two records glued together.
                return [.. datagram, .. corpus[_random.Next(corpus.Count)]];
            case 8:
                // Replay as is.
                return datagram;
            default:
                for (int i = 0; i < datagram.Length; i += _random.Next(1, 64))
                {
                    datagram[i] = (byte)_random.Next(256);
                }

                return datagram;
        }
    }
}
