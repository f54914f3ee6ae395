using System.Security.Cryptography;

namespace LiveHost.WebRtc.Srtp.Tests;

/// <summary>
/// The in-process AES-NI/PCLMULQDQ AES-128-GCM against the platform's (OpenSSL) <see cref="AesGcm"/>: same ciphertext
/// and tag for every text length around the 16- and 64-octet block edges and for RTP-sized packets, with AADs of RTP
/// header sizes; it decrypts what the platform encrypted; and a changed tag, ciphertext or AAD is refused with the text
/// left as it was. The RFC 7714 vectors run through it as well (via the transform, <see cref="Rfc7714VectorTests"/>).
/// </summary>
public sealed class IntrinsicAesGcm128Tests
{
    private static readonly int[] TextLengths = [.. Enumerable.Range(0, 200), 255, 256, 257, 1000, 1188, 1199, 1200, 1201, 1436, 1500];
    private static readonly int[] AadLengths = [0, 1, 8, 12, 15, 16, 17, 20, 24, 32, 33, 60];

    [Fact]
    public void The_cpu_of_this_machine_runs_the_intrinsic_cipher()
    {
        // Skipping on a machine without AES-NI would let every other test here pass without testing anything.
        Assert.True(IntrinsicAesGcm128.IsSupported, "this x64 CPU lacks AES-NI or PCLMULQDQ");
        using var cipher = GcmCipher.Create(new byte[16]);
        Assert.IsType<IntrinsicAesGcm128>(cipher);
    }

    [Fact]
    public void Encrypts_every_length_to_the_same_ciphertext_and_tag_as_the_platform()
    {
        var random = new Random(14);
        foreach (var aadLength in AadLengths)
        {
            foreach (var length in TextLengths)
            {
                var (key, nonce, aad, plain) = Inputs(random, aadLength, length);
                using var platform = new AesGcm(key, 16);
                var expected = new byte[length];
                var expectedTag = new byte[16];
                platform.Encrypt(nonce, plain, expected, expectedTag, aad);

                using var cipher = new IntrinsicAesGcm128(key);
                var text = (byte[])plain.Clone();
                var tag = new byte[16];
                cipher.Encrypt(nonce, text, tag, aad);

                Assert.True(expected.AsSpan().SequenceEqual(text), $"ciphertext differs at text {length}, aad {aadLength}");
                Assert.True(expectedTag.AsSpan().SequenceEqual(tag), $"tag differs at text {length}, aad {aadLength}");
            }
        }
    }

    [Fact]
    public void Decrypts_what_the_platform_encrypted()
    {
        var random = new Random(7714);
        foreach (var aadLength in AadLengths)
        {
            foreach (var length in TextLengths)
            {
                var (key, nonce, aad, plain) = Inputs(random, aadLength, length);
                using var platform = new AesGcm(key, 16);
                var text = new byte[length];
                var tag = new byte[16];
                platform.Encrypt(nonce, plain, text, tag, aad);

                using var cipher = new IntrinsicAesGcm128(key);
                Assert.True(cipher.TryDecrypt(nonce, text, tag, aad), $"refused text {length}, aad {aadLength}");
                Assert.True(plain.AsSpan().SequenceEqual(text), $"plaintext differs at text {length}, aad {aadLength}");
            }
        }
    }

    [Theory]
    [InlineData("tag")]
    [InlineData("ciphertext")]
    [InlineData("aad")]
    [InlineData("nonce")]
    public void A_changed_packet_is_refused_and_left_as_it_was(string changed)
    {
        var random = new Random(3711);
        foreach (var length in new[] { 1, 16, 64, 100, 1188 })
        {
            var (key, nonce, aad, plain) = Inputs(random, 12, length);
            using var cipher = new IntrinsicAesGcm128(key);
            var text = (byte[])plain.Clone();
            var tag = new byte[16];
            cipher.Encrypt(nonce, text, tag, aad);
            switch (changed)
            {
                case "tag": tag[15] ^= 1; break;
                case "ciphertext": text[length - 1] ^= 0x80; break;
                case "aad": aad[0] ^= 1; break;
                default: nonce[11] ^= 1; break;
            }
            var before = (byte[])text.Clone();

            Assert.False(cipher.TryDecrypt(nonce, text, tag, aad), $"accepted a changed {changed} at text {length}");
            Assert.Equal(before, text);
        }
    }

    [Fact]
    public void A_key_that_is_not_aes_128_is_refused_by_the_intrinsic_cipher_and_served_by_the_platform()
    {
        Assert.Throws<ArgumentException>(() => new IntrinsicAesGcm128(new byte[32]));
        using var cipher = GcmCipher.Create(new byte[32]);
        Assert.IsType<PlatformAesGcm>(cipher);
    }

    private static (byte[] Key, byte[] Nonce, byte[] Aad, byte[] Plain) Inputs(Random random, int aadLength, int length)
    {
        var key = new byte[16];
        var nonce = new byte[12];
        var aad = new byte[aadLength];
        var plain = new byte[length];
        random.NextBytes(key);
        random.NextBytes(nonce);
        random.NextBytes(aad);
        random.NextBytes(plain);
        return (key, nonce, aad, plain);
    }
}
