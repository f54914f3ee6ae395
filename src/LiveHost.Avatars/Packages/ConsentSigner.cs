using System.Security.Cryptography;

namespace LiveHost.Avatars.Packages;

/// <summary>Signs consent records (the builder's <c>sign-consent</c> command and tests use it; the server never signs).</summary>
public static class ConsentSigner
{
    /// <summary>A new P-256 key pair as PEM: the private key (PKCS#8) and the public key (SubjectPublicKeyInfo).</summary>
    public static (string PrivateKeyPem, string PublicKeyPem) CreateKeyPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (key.ExportPkcs8PrivateKeyPem(), key.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>The record with <see cref="ConsentRecord.Signature"/> set over its canonical form.</summary>
    /// <exception cref="InvalidOperationException">
    /// The record is already signed. ECDSA signatures differ each time, so a second signature would make the record a
    /// different one: a revocation naming the first signature would no longer match it.
    /// </exception>
    public static ConsentRecord Sign(ConsentRecord consent, string privateKeyPem)
    {
        ArgumentNullException.ThrowIfNull(consent);
        if (!string.IsNullOrEmpty(consent.Signature))
        {
            throw new InvalidOperationException(
                $"Consent '{consent.Id}' is already signed; it is not signed again (a new signature would no longer match a revocation by the original one).");
        }
        using var key = ECDsa.Create();
        key.ImportFromPem(privateKeyPem);
        if (key.KeySize != 256) throw new ArgumentException("Consent keys must be ECDSA P-256.", nameof(privateKeyPem));
        var signature = key.SignData(ConsentCanonicalForm.ToBytes(consent), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return consent with { Signature = Convert.ToBase64String(signature) };
    }
}
