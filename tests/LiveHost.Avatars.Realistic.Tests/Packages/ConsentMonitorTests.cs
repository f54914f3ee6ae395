using System.Diagnostics;
using LiveHost.Avatars.Packages;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.Avatars.Realistic.Tests.Packages;

public sealed class ConsentMonitorTests : IDisposable
{
    private readonly TestPackages _packages = new();

    [Fact]
    public async Task A_revocation_written_while_live_is_reported_within_five_seconds_of_real_time()
    {
        using var verifier = _packages.Verifier();
        var package = AvatarPackageLoader.Load(_packages.Write(), verifier, new FakeTimeProvider(TestPackages.Now));
        // Real clock: the consent in the package must be valid now, so re-sign it around the machine's time.
        var now = TimeProvider.System.GetUtcNow();
        var consent = ConsentSigner.Sign(TestPackages.UnsignedConsent() with { IssuedAt = now.AddHours(-1), ExpiresAt = now.AddDays(1) }, _packages.PrivateKeyPem);
        await using var monitor = new ConsentMonitor(verifier, TimeProvider.System);
        var revoked = new TaskCompletionSource<ConsentRevokedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.ConsentRevoked += (_, e) => revoked.TrySetResult(e);
        monitor.Watch(package.Id, consent);
        monitor.Start();
        Assert.Equal(0, monitor.CheckNow());

        var clock = Stopwatch.StartNew();
        ConsentRevocationList.Write(_packages.RevocationListPath, [new() { ConsentId = consent.Id, Reason = "subject withdrew" }]);
        var e = await revoked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"revocation took {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.Equal([package.Id], e.PackageIds);
        Assert.Equal(ConsentIdentity.Of(consent), e.Consent);
        Assert.Equal(ConsentStatus.Revoked, e.Status);
        Assert.Contains("subject withdrew", e.Reason, StringComparison.Ordinal);
        Assert.Empty(monitor.WatchedConsents);
    }

    [Fact]
    public async Task Expiry_passing_while_live_raises_the_event_on_the_next_tick()
    {
        using var verifier = _packages.Verifier();
        var time = new FakeTimeProvider(TestPackages.Now);
        var consent = ConsentSigner.Sign(TestPackages.UnsignedConsent() with { ExpiresAt = TestPackages.Now.AddSeconds(2.5) }, _packages.PrivateKeyPem);
        await using var monitor = new ConsentMonitor(verifier, time);
        var events = new List<ConsentRevokedEventArgs>();
        var raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.ConsentRevoked += (_, e) =>
        {
            lock (events) events.Add(e);
            raised.TrySetResult();
        };
        monitor.Watch("expiring", consent);
        monitor.Start();

        time.Advance(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, monitor.CheckNow());
        lock (events) Assert.Empty(events);
        time.Advance(TimeSpan.FromSeconds(1));
        await raised.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(1));

        lock (events)
        {
            var e = Assert.Single(events);
            Assert.Equal(["expiring"], e.PackageIds);
            Assert.Equal(ConsentStatus.Expired, e.Status);
        }
    }

    [Fact]
    public void A_throwing_subscriber_does_not_stop_other_packages_being_checked()
    {
        using var verifier = _packages.Verifier();
        var time = new FakeTimeProvider(TestPackages.Now);
        var monitor = new ConsentMonitor(verifier, time);
        var seen = new List<string>();
        monitor.ConsentRevoked += (_, e) =>
        {
            seen.Add(e.Consent.ConsentId);
            throw new InvalidOperationException("handler bug");
        };
        monitor.Watch("a", _packages.SignedConsent("a"));
        monitor.Watch("b", _packages.SignedConsent("b"));
        monitor.Watch("c", _packages.SignedConsent("c"));
        ConsentRevocationList.Write(_packages.RevocationListPath, [new() { ConsentId = "a" }, new() { ConsentId = "c" }]);

        Assert.Equal(2, monitor.CheckNow());

        Assert.Equal(["a", "c"], seen.Order());
        Assert.Equal(["b"], monitor.WatchedConsents.Select(c => c.ConsentId));
    }

    [Theory]
    [InlineData("first")]
    [InlineData("second")]
    public void Two_packages_sharing_an_id_under_different_consents_are_revoked_separately(string revoke)
    {
        using var verifier = _packages.Verifier();
        var monitor = new ConsentMonitor(verifier, new FakeTimeProvider(TestPackages.Now));
        var first = _packages.SignedConsent("consent-anna");
        var second = _packages.SignedConsent("consent-ben");
        // The builder names a package after its folder: two studios' "astro" folders give two packages called astro.
        var firstIdentity = monitor.Watch("astro", first);
        var secondIdentity = monitor.Watch("astro", second);
        var events = new List<ConsentRevokedEventArgs>();
        monitor.ConsentRevoked += (_, e) => events.Add(e);
        var (revoked, kept) = revoke == "first" ? (first, secondIdentity) : (second, firstIdentity);

        ConsentRevocationList.Write(_packages.RevocationListPath, [new() { ConsentId = revoked.Id, Reason = "withdrawn" }]);
        Assert.Equal(1, monitor.CheckNow());

        var e = Assert.Single(events);
        Assert.Equal(ConsentIdentity.Of(revoked), e.Consent);
        Assert.Equal(["astro"], e.PackageIds);
        Assert.Equal([kept], monitor.WatchedConsents);
    }

    [Fact]
    public void Two_records_with_one_consent_id_are_told_apart_by_signature()
    {
        using var verifier = _packages.Verifier();
        var monitor = new ConsentMonitor(verifier, new FakeTimeProvider(TestPackages.Now));
        // The same fields signed twice: ECDSA signatures differ, so these are two records with one id.
        var first = _packages.SignedConsent("consent-1");
        var second = _packages.SignedConsent("consent-1");
        Assert.NotEqual(first.Signature, second.Signature);
        monitor.Watch("pkg-a", first);
        monitor.Watch("pkg-b", second);
        var events = new List<ConsentRevokedEventArgs>();
        monitor.ConsentRevoked += (_, e) => events.Add(e);

        ConsentRevocationList.Write(_packages.RevocationListPath, [new() { Signature = second.Signature, Reason = "this recording only" }]);
        Assert.Equal(1, monitor.CheckNow());

        Assert.Equal(["pkg-b"], Assert.Single(events).PackageIds);
        Assert.Equal([ConsentIdentity.Of(first)], monitor.WatchedConsents);
    }

    [Fact]
    public void A_revocation_entry_that_matches_no_consent_in_use_is_logged_once()
    {
        using var verifier = _packages.Verifier();
        var logger = new ListLogger<ConsentMonitor>();
        var monitor = new ConsentMonitor(verifier, new FakeTimeProvider(TestPackages.Now), logger);
        var live = _packages.SignedConsent("consent-live");
        monitor.Watch("pkg", live);
        // A signature of the same record signed again (what re-signing in the builder used to produce) matches nothing live.
        var resigned = _packages.SignedConsent("consent-live").Signature;

        ConsentRevocationList.Write(_packages.RevocationListPath, [new() { Signature = resigned, Reason = "typo'd" }]);
        Assert.Equal(0, monitor.CheckNow());
        Assert.Equal(0, monitor.CheckNow());

        var warning = Assert.Single(logger.Messages, m => m.Contains("matches no consent in use", StringComparison.Ordinal));
        Assert.Contains(resigned!, warning, StringComparison.Ordinal);
        Assert.Single(monitor.WatchedConsents);

        // The same list plus an entry that does match: the match stops the consent and is not reported as unmatched.
        ConsentRevocationList.Write(_packages.RevocationListPath,
            [new() { Signature = resigned, Reason = "typo'd" }, new() { Signature = live.Signature, Reason = "withdrawn" }]);
        Assert.Equal(1, monitor.CheckNow());
        Assert.Equal(2, logger.Messages.Count(m => m.Contains("matches no consent in use", StringComparison.Ordinal)));
        Assert.DoesNotContain(logger.Messages, m => m.Contains("matches no consent", StringComparison.Ordinal) && m.Contains(live.Signature!, StringComparison.Ordinal));
    }

    public void Dispose() => _packages.Dispose();
}
