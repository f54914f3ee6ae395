using System.Security.Cryptography;

namespace LiveHost.WebRtc.Srtp;

/// <summary>The platform's <see cref="AesGcm"/> (OpenSSL on Linux): used where <see cref="IntrinsicAesGcm128"/> cannot run.</summary>
internal sealed class PlatformAesGcm(ReadOnlySpan<byte> key) : GcmCipher
{
    private readonly AesGcm _gcm = new(key, TagLength);

    public override void Encrypt(ReadOnlySpan<byte> nonce, Span<byte> text, Span<byte> tag, ReadOnlySpan<byte> aad) =>
        _gcm.Encrypt(nonce, text, text, tag, aad);

    public override bool TryDecrypt(ReadOnlySpan<byte> nonce, Span<byte> text, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        try
        {
            _gcm.Decrypt(nonce, text, tag, text, aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public override void Dispose() => _gcm.Dispose();
}
