using System.Diagnostics;
using LiveHost.Avatars.Packages;
using LiveHost.Host.Tests.Avatars;
using Xunit.Abstractions;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// The real host showing a consented likeness (the synthetic package the avatar host tests build), watched on
/// /watch/main; each test gets a fresh revocation list.
/// </summary>
public sealed class RevokedConsentServer : IAsyncLifetime
{
    public SyntheticAvatarPackage Package { get; } = new();

    public WatchServer Server { get; } = new();

    public string RevocationList { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Package.InitializeAsync();
        RevocationList = Package.NewRevocationList();
        foreach (var (key, value) in Package.Settings(RevocationList)) Server.Settings[key] = value;
        await Server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Package.DisposeAsync();
    }
}

/// <summary>
/// The player page when a likeness's consent is revoked: the room's sessions are ended (not a frozen frame), and
/// the page takes the picture down and says the presenter is unavailable, with the AI label's wording; a viewer
/// who comes later is told why by the page (the 409's reason), not shown a black picture.
/// </summary>
public sealed class RevokedConsentWatchPageTests(RevokedConsentServer fixture, ITestOutputHelper output) : IClassFixture<RevokedConsentServer>
{
    private const string EndedShown = "() => !document.getElementById('ended').hidden";

    [Fact]
    public async Task A_viewer_of_a_room_whose_consent_is_revoked_sees_the_page_say_the_presenter_is_unavailable_within_5_seconds()
    {
        await using var browser = await BrowserSession.LaunchAsync();
        var watching = await browser.Context.NewPageAsync();
        await watching.GotoAsync(new Uri(fixture.Server.BaseAddress, "/watch/main").ToString());
        await PlayerProbe.WaitForAsync(watching, s => s.FramesDecoded > 0, TimeSpan.FromSeconds(30), "the first decoded video frame");
        Assert.True(await watching.EvaluateAsync<bool>("() => document.getElementById('ended').hidden"));

        var revokedAt = Stopwatch.StartNew();
        ConsentRevocationList.Write(fixture.RevocationList,
            [new ConsentRevocationList.RevocationEntry { ConsentId = SyntheticAvatarPackage.ConsentId, Reason = "the subject withdrew" }]);

        await watching.WaitForFunctionAsync(EndedShown, null, new() { Timeout = 10_000 });
        var shownAfter = revokedAt.Elapsed;
        var notice = await watching.InnerTextAsync("#ended");
        var state = await watching.EvaluateAsync<string>(
            "() => JSON.stringify({ ended: window.livehost.ended, picture: document.getElementById('video').srcObject === null, status: document.getElementById('status').textContent })");
        output.WriteLine($"the page said so {shownAfter.TotalMilliseconds:F0} ms after the revocation was written: {notice.ReplaceLineEndings(" | ")} {state}");
        Assert.True(shownAfter < TimeSpan.FromSeconds(5), $"the page took {shownAfter.TotalSeconds:F1} s to say the presenter is unavailable");
        Assert.Contains("The presenter is unavailable", notice, StringComparison.Ordinal);
        Assert.Contains("AI-generated", notice, StringComparison.Ordinal);
        Assert.Contains("AI生成", notice, StringComparison.Ordinal);
        Assert.Contains("\"picture\":true", state, StringComparison.Ordinal);

        // A viewer who opens the page now is told, on the page, why there is nothing to watch.
        var late = await browser.Context.NewPageAsync();
        await late.GotoAsync(new Uri(fixture.Server.BaseAddress, "/watch/main").ToString());
        await late.WaitForFunctionAsync(EndedShown, null, new() { Timeout = 10_000 });
        var lateNotice = await late.InnerTextAsync("#ended");
        var lateStatus = await late.InnerTextAsync("#status");
        output.WriteLine($"{lateNotice.ReplaceLineEndings(" | ")} / {lateStatus}");
        Assert.Contains("The presenter is unavailable", lateNotice, StringComparison.Ordinal);
        Assert.Contains("room 'main' is stopped", lateNotice, StringComparison.Ordinal);
        Assert.Contains("the subject withdrew", lateNotice, StringComparison.Ordinal);
        Assert.Contains("409", lateStatus, StringComparison.Ordinal);
    }
}
