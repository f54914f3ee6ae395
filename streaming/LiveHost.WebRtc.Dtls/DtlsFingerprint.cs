using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LiveHost.WebRtc.Dtls;

/// <summary>
/// A certificate fingerprint in the SDP form of RFC 8122 §5: <c>sha-256 AB:CD:...</c> (hash function token,
/// one space, upper-case hex bytes joined by colons). Comparison is constant-time so a peer cannot learn how
/// many leading bytes it got right.
/// </summary>
public sealed class DtlsFingerprint
{
    private readonly byte[] _value;

    private DtlsFingerprint(DtlsFingerprintAlgorithm algorithm, byte[] value)
    {
        Algorithm = algorithm;
        _value = value;
    }

    /// <summary>The hash function.</summary>
    public DtlsFingerprintAlgorithm Algorithm { get; }

    /// <summary>The digest bytes.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>Hashes a DER-encoded certificate.</summary>
    public static DtlsFingerprint Compute(DtlsFingerprintAlgorithm algorithm, ReadOnlySpan<byte> certificateDer) =>
        new(algorithm, Hash(algorithm, certificateDer));

    /// <summary>Builds a fingerprint from an already computed digest.</summary>
    public static DtlsFingerprint FromDigest(DtlsFingerprintAlgorithm algorithm, ReadOnlySpan<byte> digest)
    {
        if (digest.Length != DigestLength(algorithm))
        {
            throw new ArgumentException(
                $"A {AlgorithmName(algorithm)} digest has {DigestLength(algorithm)} bytes, not {digest.Length}.",
                nameof(digest));
        }

        return new DtlsFingerprint(algorithm, digest.ToArray());
    }

    /// <summary>Parses <c>sha-256 AB:CD:...</c>; the hash token and the hex digits are case-insensitive.</summary>
    /// <exception cref="FormatException">The text says what is wrong with it.</exception>
    public static DtlsFingerprint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out DtlsFingerprint? fingerprint, out string? error)
            ? fingerprint
            : throw new FormatException(error);
    }

    /// <summary>Parses <c>sha-256 AB:CD:...</c>; the hash token and the hex digits are case-insensitive.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out DtlsFingerprint? fingerprint) =>
        TryParse(text, out fingerprint, out _);

    private static bool TryParse(
        ReadOnlySpan<char> text,
        [NotNullWhen(true)] out DtlsFingerprint? fingerprint,
        [NotNullWhen(false)] out string? error)
    {
        fingerprint = null;
        text = text.Trim();
        int space = text.IndexOfAny(' ', '\t');
        if (space <= 0)
        {
            error = "A DTLS fingerprint must be '<hash-function> <hex bytes>', e.g. 'sha-256 AB:CD:...'.";
            return false;
        }

        ReadOnlySpan<char> token = text[..space];
        ReadOnlySpan<char> hex = text[space..].TrimStart();
        if (!TryParseAlgorithm(token, out DtlsFingerprintAlgorithm algorithm))
        {
            error = $"Unsupported fingerprint hash function '{token}' (expected sha-1, sha-256, sha-384 or sha-512).";
            return false;
        }

        int expected = DigestLength(algorithm);

        // "AB:CD:EF": each byte is two hex digits, separated by exactly one colon.
        if (hex.Length != (expected * 3) - 1)
        {
            error = $"A {AlgorithmName(algorithm)} fingerprint has {expected} colon-separated hex bytes.";
            return false;
        }

        byte[] value = new byte[expected];
        for (int i = 0; i < expected; i++)
        {
            int at = i * 3;
            if (i > 0 && hex[at - 1] != ':')
            {
                error = "Fingerprint bytes must be separated by ':'.";
                return false;
            }

            if (!byte.TryParse(hex.Slice(at, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value[i]))
            {
                error = $"'{hex.Slice(at, 2)}' is not a hex byte.";
                return false;
            }
        }

        fingerprint = new DtlsFingerprint(algorithm, value);
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="certificateDer"/> hashes to this fingerprint (constant-time compare).</summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer)
    {
        Span<byte> digest = stackalloc byte[64];
        int length = HashInto(Algorithm, certificateDer, digest);
        return CryptographicOperations.FixedTimeEquals(digest[..length], _value);
    }

    /// <summary>Constant-time equality of algorithm and digest.</summary>
    public bool FixedTimeEquals(DtlsFingerprint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Algorithm == other.Algorithm && CryptographicOperations.FixedTimeEquals(_value, other._value);
    }

    /// <summary>The SDP form, e.g. <c>sha-256 AB:CD:...</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(AlgorithmName(Algorithm).Length + 1 + (_value.Length * 3));
        text.Append(AlgorithmName(Algorithm)).Append(' ');
        for (int i = 0; i < _value.Length; i++)
        {
            if (i > 0)
            {
                text.Append(':');
            }

            text.Append(_value[i].ToString("X2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>The RFC 8122 token for the hash function (the IANA "Hash Function Textual Names" registry).</summary>
    public static string AlgorithmName(DtlsFingerprintAlgorithm algorithm) => algorithm switch
    {
        DtlsFingerprintAlgorithm.Sha1 => "sha-1",
        DtlsFingerprintAlgorithm.Sha256 => "sha-256",
        DtlsFingerprintAlgorithm.Sha384 => "sha-384",
        DtlsFingerprintAlgorithm.Sha512 => "sha-512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    /// <summary>Bytes in a digest of this algorithm.</summary>
    public static int DigestLength(DtlsFingerprintAlgorithm algorithm) => algorithm switch
    {
        DtlsFingerprintAlgorithm.Sha1 => 20,
        DtlsFingerprintAlgorithm.Sha256 => 32,
        DtlsFingerprintAlgorithm.Sha384 => 48,
        DtlsFingerprintAlgorithm.Sha512 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    private static bool TryParseAlgorithm(ReadOnlySpan<char> token, out DtlsFingerprintAlgorithm algorithm)
    {
        foreach (DtlsFingerprintAlgorithm candidate in Enum.GetValues<DtlsFingerprintAlgorithm>())
        {
            if (token.Equals(AlgorithmName(candidate), StringComparison.OrdinalIgnoreCase))
            {
                algorithm = candidate;
                return true;
            }
        }

        algorithm = default;
        return false;
    }

    private static byte[] Hash(DtlsFingerprintAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[64];
        int length = HashInto(algorithm, data, digest);
        return digest[..length].ToArray();
    }

    private static int HashInto(DtlsFingerprintAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> digest) =>
        algorithm switch
        {
#pragma warning disable CA5350 // SHA-1 is only used when the remote offer names it; RFC 8122 still allows it.
            DtlsFingerprintAlgorithm.Sha1 => SHA1.HashData(data, digest),
#pragma warning restore CA5350
            DtlsFingerprintAlgorithm.Sha256 => SHA256.HashData(data, digest),
            DtlsFingerprintAlgorithm.Sha384 => SHA384.HashData(data, digest),
            DtlsFingerprintAlgorithm.Sha512 => SHA512.HashData(data, digest),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
        };
}
