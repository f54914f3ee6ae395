namespace LiveHost.Avatars.Packages;

/// <summary>
/// Which consent issuers the server trusts, and where revocations are published. The host fills this from its
/// <c>Avatars</c> section: <c>Avatars:TrustedKeys:{keyId}</c> = PEM path, <c>Avatars:RevocationListPath</c>,
/// <c>Avatars:ConsentRecheckInterval</c> (there is no <c>Consent</c> section).
/// </summary>
public sealed class ConsentOptions
{
    /// <summary>keyId -> path of a PEM file holding that issuer's ECDSA P-256 public key (SubjectPublicKeyInfo).</summary>
    public Dictionary<string, string> TrustedKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>JSON file of revoked consents (see <see cref="ConsentRevocationList"/>); none when empty.</summary>
    public string? RevocationListPath { get; set; }

    /// <summary>The use every package's consent scope must include.</summary>
    public string RequiredScope { get; set; } = ConsentRecord.LivestreamScope;

    /// <summary>How often <see cref="ConsentMonitor"/> re-checks live packages (revocation must stop a room within 5 s).</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
