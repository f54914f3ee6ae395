using System.Text;
using LiveHost.Avatars.Packages;

namespace LiveHost.Avatars.Realistic.Tests.Packages;

public sealed class ConsentSignatureTests : IDisposable
{
    private readonly TestPackages _packages = new();

    [Fact]
    public void Canonical_form_is_the_documented_compact_json_in_member_order()
    {
        var consent = new ConsentRecord
        {
            Id = "c-1", Subject = "Anna \"A\" 李", Scope = ["livestream", "replay"],
            IssuedAt = new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.FromHours(8)),
            ExpiresAt = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Issuer = "Studio\n", KeyId = "k1", Signature = "ignored",
        };

        var text = ConsentCanonicalForm.ToText(consent);

        Assert.Equal(
            "{\"expiresAt\":\"2027-01-01T00:00:00.0000000Z\",\"id\":\"c-1\",\"issuedAt\":\"2026-01-01T00:00:00.0000000Z\"," +
            "\"issuer\":\"Studio\\n\",\"keyId\":\"k1\",\"scope\":[\"livestream\",\"replay\"],\"subject\":\"Anna \\\"A\\\" 李\"}",
            text);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(text), ConsentCanonicalForm.ToBytes(consent));
    }

    [Fact]
    public void The_recording_hashes_are_signed_in_member_order_when_present()
    {
        var consent = new ConsentRecord
        {
            Id = "c-1", Subject = "Anna", Scope = ["livestream"], IssuedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            ExpiresAt = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), Issuer = "Studio", KeyId = "k1",
            RecordingSha256 = new string('a', 64), ConsentVideoSha256 = new string('b', 64),
        };

        Assert.Equal(
            "{\"consentVideoSha256\":\"" + new string('b', 64) + "\",\"expiresAt\":\"2027-01-01T00:00:00.0000000Z\",\"id\":\"c-1\"," +
            "\"issuedAt\":\"2026-01-01T00:00:00.0000000Z\",\"issuer\":\"Studio\",\"keyId\":\"k1\",\"recordingSha256\":\"" + new string('a', 64) +
            "\",\"scope\":[\"livestream\"],\"subject\":\"Anna\"}",
            ConsentCanonicalForm.ToText(consent));
    }

    [Fact]
    public void Swapping_the_recording_a_signed_consent_covers_breaks_its_signature()
    {
        using var verifier = _packages.Verifier();
        var signed = _packages.SignedConsent();

        Assert.Equal(ConsentStatus.BadSignature,
            verifier.Verify(signed with { RecordingSha256 = new string('c', 64) }, TestPackages.Now, out _));
    }

    [Fact]
    public void An_already_signed_consent_is_not_signed_again()
    {
        var signed = _packages.SignedConsent();

        var e = Assert.Throws<InvalidOperationException>(() => ConsentSigner.Sign(signed, _packages.PrivateKeyPem));

        Assert.Contains("already signed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signed_consent_verifies_as_valid()
    {
        using var verifier = _packages.Verifier();

        var status = verifier.Verify(_packages.SignedConsent(), TestPackages.Now, out var detail);

        Assert.Equal(ConsentStatus.Valid, status);
        Assert.Equal("", detail);
    }

    public static TheoryData<string> TamperedFields => ["id", "subject", "scope", "issuedAt", "expiresAt", "issuer"];

    [Theory]
    [MemberData(nameof(TamperedFields))]
    public void Changing_any_signed_field_breaks_the_signature(string field)
    {
        using var verifier = _packages.Verifier();
        var signed = _packages.SignedConsent();
        var tampered = field switch
        {
            "id" => signed with { Id = "consent-2" },
            "subject" => signed with { Subject = "Someone Else" },
            "scope" => signed with { Scope = ["livestream", "advertising"] },
            "issuedAt" => signed with { IssuedAt = signed.IssuedAt.AddSeconds(-1) },
            "expiresAt" => signed with { ExpiresAt = signed.ExpiresAt.AddYears(10) },
            "issuer" => signed with { Issuer = "Forger" },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        Assert.Equal(ConsentStatus.BadSignature, verifier.Verify(tampered, TestPackages.Now, out var detail));
        Assert.Contains("does not verify", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_from_an_untrusted_key_under_a_trusted_key_id_is_bad()
    {
        using var verifier = _packages.Verifier();
        var (otherPrivate, _) = ConsentSigner.CreateKeyPair();

        var forged = ConsentSigner.Sign(TestPackages.UnsignedConsent(), otherPrivate);

        Assert.Equal(ConsentStatus.BadSignature, verifier.Verify(forged, TestPackages.Now, out _));
    }

    [Fact]
    public void Each_invalid_consent_gets_its_own_status()
    {
        using var verifier = _packages.Verifier();
        var signed = _packages.SignedConsent();

        Assert.Equal(ConsentStatus.Missing, verifier.Verify(null, TestPackages.Now, out _));
        Assert.Equal(ConsentStatus.NotSigned, verifier.Verify(signed with { Signature = null }, TestPackages.Now, out _));
        Assert.Equal(ConsentStatus.Incomplete, verifier.Verify(signed with { Subject = " " }, TestPackages.Now, out _));
        Assert.Equal(ConsentStatus.UnknownKey,
            verifier.Verify(ConsentSigner.Sign(TestPackages.UnsignedConsent() with { KeyId = "nobody" }, _packages.PrivateKeyPem), TestPackages.Now, out _));
        Assert.Equal(ConsentStatus.BadSignature, verifier.Verify(signed with { Signature = "not base64!" }, TestPackages.Now, out _));
        Assert.Equal(ConsentStatus.Expired, verifier.Verify(signed, signed.ExpiresAt, out var expired));
        Assert.Contains("expired", expired, StringComparison.Ordinal);
        Assert.Equal(ConsentStatus.NotYetValid, verifier.Verify(signed, signed.IssuedAt.AddTicks(-1), out _));
        Assert.Equal(ConsentStatus.WrongScope,
            verifier.Verify(ConsentSigner.Sign(TestPackages.UnsignedConsent() with { Scope = ["advertising"] }, _packages.PrivateKeyPem), TestPackages.Now, out var scope));
        Assert.Contains("livestream", scope, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consent_on_the_revocation_list_by_id_or_by_signature_is_revoked()
    {
        using var verifier = _packages.Verifier();
        var first = _packages.SignedConsent("consent-1");
        var second = _packages.SignedConsent("consent-2");
        Assert.Equal(ConsentStatus.Valid, verifier.Verify(first, TestPackages.Now, out _));

        ConsentRevocationList.Write(_packages.RevocationListPath,
        [
            new ConsentRevocationList.RevocationEntry { ConsentId = "consent-1", Reason = "subject withdrew" },
            new ConsentRevocationList.RevocationEntry { Signature = second.Signature },
        ]);

        Assert.Equal(ConsentStatus.Revoked, verifier.Verify(first, TestPackages.Now, out var detail));
        Assert.Contains("subject withdrew", detail, StringComparison.Ordinal);
        Assert.Equal(ConsentStatus.Revoked, verifier.Verify(second, TestPackages.Now, out _));
        Assert.Equal(ConsentStatus.Valid, verifier.Verify(_packages.SignedConsent("consent-3"), TestPackages.Now, out _));
    }

    [Fact]
    public void A_configured_but_missing_revocation_list_refuses_consent()
    {
        var options = _packages.Options;
        options.RevocationListPath = Path.Combine(_packages.Root, "no-such-list.json");
        using var verifier = new ConsentVerifier(options);

        Assert.Equal(ConsentStatus.RevocationListUnavailable, verifier.Verify(_packages.SignedConsent(), TestPackages.Now, out _));
    }

    [Fact]
    public void A_trusted_key_that_is_not_p256_is_refused_at_start()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var path = Path.Combine(_packages.Root, "rsa.pem");
        File.WriteAllText(path, rsa.ExportSubjectPublicKeyInfoPem());
        var options = new ConsentOptions { TrustedKeys = new() { ["rsa"] = path } };

        Assert.Throws<InvalidOperationException>(() => new ConsentVerifier(options));
    }

    public void Dispose() => _packages.Dispose();
}
