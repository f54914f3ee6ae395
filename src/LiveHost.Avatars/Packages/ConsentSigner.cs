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
    public static ConsentRecord Sign(ConsentRecord consent, string privateKeyPem)
    {
        ArgumentNullException.ThrowIfNull(consent);
        using var key = ECDsa.Create();
        key.ImportFromPem(privateKeyPem);
        if (key.KeySize != 256) throw new ArgumentException("Consent keys must be ECDSA P-256.", nameof(privateKeyPem));
        var signature = key.SignData(ConsentCanonicalForm.ToBytes(consent), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return consent with { Signature = Convert.ToBase64String(signature) };
    }
}
