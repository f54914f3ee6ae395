using System.Security.Cryptography;
using System.Text;

namespace LiveHost.Avatars.Packages;

/// <summary>
/// Which consent a likeness is shown under: the record's own id and the SHA-256 of its signature. Packages are named
/// by their builder (by default after their folder), so two packages can share an id; two consents cannot share a
/// signature. Live likenesses are watched, and rooms stopped, by this identity, never by the package id.
/// </summary>
/// <param name="ConsentId">The consent record's <see cref="ConsentRecord.Id"/>.</param>
/// <param name="SignatureSha256">Lower-case hex SHA-256 of the signature's bytes (of its text when it is not base64).</param>
public readonly record struct ConsentIdentity(string ConsentId, string SignatureSha256)
{
    public static ConsentIdentity Of(ConsentRecord consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        var signature = consent.Signature ?? "";
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            bytes = Encoding.UTF8.GetBytes(signature);
        }
        return new ConsentIdentity(consent.Id, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    public override string ToString() => $"consent '{ConsentId}' (signature sha256 {SignatureSha256[..Math.Min(16, SignatureSha256.Length)]})";
}
