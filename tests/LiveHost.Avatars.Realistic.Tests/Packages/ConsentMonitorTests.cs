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
        Assert.Equal(package.Id, e.PackageId);
        Assert.Equal(ConsentStatus.Revoked, e.Status);
        Assert.Contains("subject withdrew", e.Reason, StringComparison.Ordinal);
        Assert.Empty(monitor.WatchedPackageIds);
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
            Assert.Equal("expiring", e.PackageId);
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
            seen.Add(e.PackageId);
            throw new InvalidOperationException("handler bug");
        };
        monitor.Watch("a", _packages.SignedConsent("a"));
        monitor.Watch("b", _packages.SignedConsent("b"));
        monitor.Watch("c", _packages.SignedConsent("c"));
        ConsentRevocationList.Write(_packages.RevocationListPath, [new() { ConsentId = "a" }, new() { ConsentId = "c" }]);

        Assert.Equal(2, monitor.CheckNow());

        Assert.Equal(["a", "c"], seen.Order());
        Assert.Equal(["b"], monitor.WatchedPackageIds);
    }

    public void Dispose() => _packages.Dispose();
}
