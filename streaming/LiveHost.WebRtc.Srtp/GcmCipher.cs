using System.Security.Cryptography;

namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// AES-GCM with a 12-octet nonce and a 16-octet tag, encrypting in place: what <see cref="AeadAesGcmTransform"/> runs
/// once per packet per viewer. <see cref="Create"/> picks the in-process AES-NI/PCLMULQDQ cipher where the CPU has
/// those instructions (<see cref="IntrinsicAesGcm128"/>) and the platform's OpenSSL-backed <see cref="AesGcm"/> elsewhere.
/// </summary>
internal abstract class GcmCipher : IDisposable
{
    public const int TagLength = 16;
    public const int NonceLength = 12;

    /// <summary>The in-process cipher when the CPU allows it and the key is AES-128, else the platform's.</summary>
    public static GcmCipher Create(ReadOnlySpan<byte> key) =>
        IntrinsicAesGcm128.IsSupported && key.Length == IntrinsicAesGcm128.KeyLength ? new IntrinsicAesGcm128(key) : new PlatformAesGcm(key);

    /// <summary>Encrypts <paramref name="text"/> in place and writes its tag over <paramref name="aad"/> and the ciphertext.</summary>
    public abstract void Encrypt(ReadOnlySpan<byte> nonce, Span<byte> text, Span<byte> tag, ReadOnlySpan<byte> aad);

    /// <summary>Checks <paramref name="tag"/> and, only when it matches, decrypts <paramref name="text"/> in place.</summary>
    public abstract bool TryDecrypt(ReadOnlySpan<byte> nonce, Span<byte> text, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad);

    public abstract void Dispose();
}
