using System.Globalization;

namespace LiveHost.WebRtc.Sdp;

/// <summary>
/// a=fingerprint (RFC 8122 §5): the hash function and the certificate digest, which the DTLS layer compares with
/// the certificate the browser presents. Bytes are decoded once here so the DTLS code needs no SDP knowledge.
/// </summary>
public sealed record SdpFingerprint
{
    private SdpFingerprint(string algorithm, string value, byte[] digest)
    {
        Algorithm = algorithm;
        Value = value;
        Digest = digest;
    }

    /// <summary>Lower-case hash name as registered (e.g. "sha-256").</summary>
    public string Algorithm { get; }

    /// <summary>Upper-case colon-separated hex, as written in SDP.</summary>
    public string Value { get; }

    /// <summary>The digest bytes.</summary>
    public IReadOnlyList<byte> Digest { get; }

    /// <summary>Parses "sha-256 AB:CD:..." (case-insensitive); null when the form is wrong.</summary>
    public static SdpFingerprint? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string[] parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || parts[0].Length > 32)
        {
            return null;
        }

        string[] hexPairs = parts[1].Split(':');
        if (hexPairs.Length is < 16 or > 64)
        {
            return null;
        }

        var digest = new byte[hexPairs.Length];
        for (int i = 0; i < hexPairs.Length; i++)
        {
            if (hexPairs[i].Length != 2
                || !byte.TryParse(hexPairs[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out digest[i]))
            {
                return null;
            }
        }

        return new SdpFingerprint(parts[0].ToLowerInvariant(), parts[1].ToUpperInvariant(), digest);
    }

    /// <summary>Equal when the hash and the digest are (the digest follows from <see cref="Value"/>).</summary>
    public bool Equals(SdpFingerprint? other)
        => other is not null && Algorithm == other.Algorithm && Value == other.Value;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Algorithm, Value);

    /// <summary>The attribute value, "sha-256 AB:CD:...".</summary>
    public override string ToString() => $"{Algorithm} {Value}";
}
