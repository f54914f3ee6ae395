namespace LiveHost.Avatars.Packages;

/// <summary>
/// What is wrong with a consent record before anyone signs it or builds a package on it: the checks
/// <c>sign-consent</c> and the package builder run first, so an incomplete, expired or out-of-scope record is refused
/// before a key is made, a video decoded or a folder created.
/// </summary>
public static class ConsentRecordChecks
{
    /// <summary>Every problem with <paramref name="consent"/> at <paramref name="now"/>, one sentence each (empty: none).</summary>
    /// <param name="requireId">False where the signer fills in a missing id.</param>
    public static IReadOnlyList<string> FindProblems(ConsentRecord consent, DateTimeOffset now,
        string requiredScope = ConsentRecord.LivestreamScope, bool requireId = true)
    {
        ArgumentNullException.ThrowIfNull(consent);
        var problems = new List<string>();
        if (requireId && string.IsNullOrWhiteSpace(consent.Id)) problems.Add("id is missing");
        if (string.IsNullOrWhiteSpace(consent.Subject)) problems.Add("subject (the person whose likeness this is) is missing");
        if (string.IsNullOrWhiteSpace(consent.Issuer)) problems.Add("issuer (who recorded the consent) is missing");
        if (consent.Scope.Count == 0) problems.Add($"scope is missing (it must include \"{requiredScope}\")");
        else if (!consent.Scope.Contains(requiredScope, StringComparer.Ordinal))
        {
            problems.Add($"scope [{string.Join(", ", consent.Scope)}] does not include \"{requiredScope}\"");
        }
        if (consent.IssuedAt == default) problems.Add("issuedAt is missing");
        if (consent.ExpiresAt == default) problems.Add("expiresAt is missing");
        else if (consent.ExpiresAt <= now) problems.Add($"the consent expired at {consent.ExpiresAt:O}");
        if (consent.IssuedAt != default && consent.ExpiresAt != default && consent.ExpiresAt <= consent.IssuedAt)
        {
            problems.Add($"expiresAt {consent.ExpiresAt:O} is not after issuedAt {consent.IssuedAt:O}");
        }
        if (string.IsNullOrWhiteSpace(consent.RecordingSha256)) problems.Add("recordingSha256 (the SHA-256 of the recording it covers) is missing");
        else if (!IsSha256(consent.RecordingSha256)) problems.Add("recordingSha256 is not 64 hex digits");
        if (consent.ConsentVideoSha256 is { Length: > 0 } video && !IsSha256(video)) problems.Add("consentVideoSha256 is not 64 hex digits");
        return problems;
    }

    /// <summary>64 hex digits.</summary>
    public static bool IsSha256(string? text) => text is { Length: 64 } && text.All(Uri.IsHexDigit);
}
