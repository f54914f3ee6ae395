using System.Security.Cryptography;

namespace LiveHost.Avatars.Packages;

/// <summary>
/// Decides whether a consent record lets a likeness go live now: complete, signed by a trusted key over its
/// canonical form (<see cref="ConsentCanonicalForm"/>), inside its validity window, covering the required scope and
/// not revoked. Thread-safe; one per server (it holds the trusted keys and the revocation list).
/// </summary>
public sealed class ConsentVerifier : IDisposable
{
    private readonly Dictionary<string, ECDsa> _keys = new(StringComparer.Ordinal);
    private readonly string _requiredScope;

    /// <exception cref="InvalidOperationException">A trusted key file is missing or is not an ECDSA P-256 public key.</exception>
    public ConsentVerifier(ConsentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _requiredScope = options.RequiredScope;
        foreach (var (keyId, path) in options.TrustedKeys)
        {
            var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(File.ReadAllText(path));
            }
            catch (Exception e) when (e is IOException or ArgumentException or CryptographicException or UnauthorizedAccessException)
            {
                key.Dispose();
                throw new InvalidOperationException($"Consent key '{keyId}' ({path}) could not be read: {e.Message}", e);
            }
            if (key.KeySize != 256)
            {
                key.Dispose();
                throw new InvalidOperationException($"Consent key '{keyId}' ({path}) is not an ECDSA P-256 key.");
            }
            _keys[keyId] = key;
        }
        Revocations = new ConsentRevocationList(options.RevocationListPath);
        Revocations.Refresh(out _);
        RecheckInterval = options.RecheckInterval;
    }

    public ConsentRevocationList Revocations { get; }

    public TimeSpan RecheckInterval { get; }

    public IReadOnlyCollection<string> TrustedKeyIds => _keys.Keys;

    /// <summary>Checks a consent at <paramref name="now"/>; <paramref name="detail"/> says why when it is not valid.</summary>
    public ConsentStatus Verify(ConsentRecord? consent, DateTimeOffset now, out string detail)
    {
        if (consent is null)
        {
            detail = "the package has no consent record";
            return ConsentStatus.Missing;
        }
        if (string.IsNullOrWhiteSpace(consent.Id) || string.IsNullOrWhiteSpace(consent.Subject)
            || string.IsNullOrWhiteSpace(consent.Issuer) || consent.Scope.Count == 0
            || consent.IssuedAt == default || consent.ExpiresAt == default || !ConsentRecordChecks.IsSha256(consent.RecordingSha256))
        {
            detail = "the consent record lacks one of id, subject, scope, issuedAt, expiresAt, issuer, recordingSha256 "
                + "(a consent must name the SHA-256 of the recording it covers; records signed without one must be signed anew)";
            return ConsentStatus.Incomplete;
        }
        if (string.IsNullOrWhiteSpace(consent.Signature) || string.IsNullOrWhiteSpace(consent.KeyId))
        {
            detail = "the consent record is not signed (no signature or keyId)";
            return ConsentStatus.NotSigned;
        }
        if (!_keys.TryGetValue(consent.KeyId, out var key))
        {
            detail = $"the consent is signed with key '{consent.KeyId}', which this server does not trust";
            return ConsentStatus.UnknownKey;
        }
        if (!SignatureMatches(key, consent))
        {
            detail = $"the consent signature does not verify against key '{consent.KeyId}' (altered or forged)";
            return ConsentStatus.BadSignature;
        }
        if (now < consent.IssuedAt)
        {
            detail = $"the consent is not valid before {consent.IssuedAt:O}";
            return ConsentStatus.NotYetValid;
        }
        if (now >= consent.ExpiresAt)
        {
            detail = $"the consent expired at {consent.ExpiresAt:O}";
            return ConsentStatus.Expired;
        }
        if (!consent.Scope.Contains(_requiredScope, StringComparer.Ordinal))
        {
            detail = $"the consent's scope [{string.Join(", ", consent.Scope)}] does not include '{_requiredScope}'";
            return ConsentStatus.WrongScope;
        }
        Revocations.Refresh(out var listError);
        if (!Revocations.IsAvailable)
        {
            detail = $"revocations cannot be checked: {listError}";
            return ConsentStatus.RevocationListUnavailable;
        }
        if (Revocations.IsRevoked(consent, out var reason))
        {
            detail = $"consent '{consent.Id}' was revoked: {reason}";
            return ConsentStatus.Revoked;
        }
        detail = "";
        return ConsentStatus.Valid;
    }

    private static bool SignatureMatches(ECDsa key, ConsentRecord consent)
    {
        Span<byte> signature = stackalloc byte[128];
        if (!Convert.TryFromBase64String(consent.Signature!, signature, out var length)) return false;
        var data = ConsentCanonicalForm.ToBytes(consent);
        // One key object may be asked from several rooms' threads; OpenSSL-backed keys are not documented thread-safe.
        lock (key)
        {
            return key.VerifyData(data, signature[..length], HashAlgorithmName.SHA256,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values) key.Dispose();
        _keys.Clear();
    }
}
