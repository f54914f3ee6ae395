using System.Numerics;
using System.Security.Cryptography;

namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): keystream block j is AES_k(IV + j), j in the low 16 bits.
/// Counter blocks for up to <see cref="BatchBlocks"/> blocks are laid out in a buffer this object owns and
/// encrypted with one ECB transform call, then XORed onto the data: no allocation and one native call per ~1 KiB.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    public const int BlockLength = 16;

    /// <summary>2^16 counter values per IV: the longest payload SRTP can encrypt under one index.</summary>
    public const int MaxDataLength = 65536 * BlockLength;

    private const int BatchBlocks = 128;

    private readonly Aes _aes;

    // Aes.EncryptEcb builds a one-shot native cipher per call (64 B of garbage each); an ECB encryptor kept for
    // the context's life reuses one native context and, with no padding, transforms arrays without allocating.
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[BatchBlocks * BlockLength];
    private readonly byte[] _keystream = new byte[BatchBlocks * BlockLength];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>XORs the keystream that starts at <paramref name="iv"/> onto <paramref name="data"/>.</summary>
    public void Transform(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (data.Length > MaxDataLength)
        {
            throw new ArgumentException("SRTP cannot encrypt more than 2^16 blocks under one packet index.", nameof(data));
        }

        int initialCounter = (iv[14] << 8) | iv[15];
        int block = 0;
        while (!data.IsEmpty)
        {
            int chunk = Math.Min(data.Length, _keystream.Length);
            int blocks = (chunk + BlockLength - 1) / BlockLength;
            Span<byte> counters = _counters.AsSpan(0, blocks * BlockLength);
            for (int b = 0; b < blocks; b++, block++)
            {
                Span<byte> counter = counters.Slice(b * BlockLength, BlockLength);
                iv[..14].CopyTo(counter);
                int low = initialCounter + block;
                counter[14] = (byte)(low >> 8);
                counter[15] = (byte)low;
            }

            _ecb.TransformBlock(_counters, 0, counters.Length, _keystream, 0);
            Xor(data[..chunk], _keystream.AsSpan(0, counters.Length));
            data = data[chunk..];
        }
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<byte>.Count;
            for (; i <= data.Length - width; i += width)
            {
                Span<byte> target = data.Slice(i, width);
                (new Vector<byte>(target) ^ new Vector<byte>(keystream.Slice(i, width))).CopyTo(target);
            }
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
    }
}
