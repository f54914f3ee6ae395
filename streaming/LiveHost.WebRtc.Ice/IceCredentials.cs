using System.Buffers;
using System.Security.Cryptography;

namespace LiveHost.WebRtc.Ice;

/// <summary>
/// An ICE username fragment and password (RFC 8839 §5.4): ufrag 4..256 and password 22..256 "ice-char"s
/// (ALPHA / DIGIT / "+" / "/"). Our side's pair authenticates the browser's checks; the browser's pair comes
/// from its offer and is kept for the USERNAME check.
/// </summary>
public sealed record IceCredentials
{
    /// <summary>The ufrag length we generate: above the minimum of 4, so ufrags on a shared port rarely collide.</summary>
    public const int GeneratedUfragLength = 8;

    /// <summary>The password length we generate: 24 ice-chars carry 144 bits, above the 128 RFC 8445 asks for.</summary>
    public const int GeneratedPasswordLength = 24;

    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static readonly SearchValues<char> IceCharValues = SearchValues.Create(IceChars);

    /// <summary>Validates both parts; throws <see cref="ArgumentException"/> when they break RFC 8839's grammar.</summary>
    public IceCredentials(string ufrag, string password)
    {
        if (!IsValid(ufrag, 4))
        {
            throw new ArgumentException("An ICE ufrag is 4..256 ice-chars (letters, digits, '+', '/').", nameof(ufrag));
        }

        if (!IsValid(password, 22))
        {
            throw new ArgumentException("An ICE password is 22..256 ice-chars (letters, digits, '+', '/').", nameof(password));
        }

        Ufrag = ufrag;
        Password = password;
    }

    /// <summary>The username fragment (a=ice-ufrag).</summary>
    public string Ufrag { get; }

    /// <summary>The password (a=ice-pwd); its UTF-8 bytes are the short-term MESSAGE-INTEGRITY key.</summary>
    public string Password { get; }

    /// <summary>Fresh random credentials from the OS CSPRNG, one pair per viewer session.</summary>
    public static IceCredentials Generate()
        => new(
            new string(RandomNumberGenerator.GetItems<char>(IceChars, GeneratedUfragLength)),
            new string(RandomNumberGenerator.GetItems<char>(IceChars, GeneratedPasswordLength)));

    /// <summary>Whether <paramref name="value"/> is minLength..256 ice-chars; used by the SDP layer too.</summary>
    public static bool IsValid(string? value, int minLength)
        => value is not null && value.Length >= minLength && value.Length <= 256 && value.AsSpan().IndexOfAnyExcept(IceCharValues) < 0;

    /// <summary>Keeps the password out of logs.</summary>
    public override string ToString() => $"ufrag={Ufrag} pwd=***";
}
