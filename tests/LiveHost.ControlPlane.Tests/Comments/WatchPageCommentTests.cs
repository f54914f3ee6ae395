using LiveHost.ControlPlane.Comments;
using Microsoft.Playwright;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Comments;

/// <summary>
/// The comment box of <c>/watch/{room}</c> in Debian's Chromium (no browser download; the flags of
/// LiveHost.WebRtc.Tests' BrowserSession). The room has no media here: only the comment path is exercised.
/// </summary>
public sealed class WatchPageCommentTests
{
    [Fact]
    public async Task Markup_typed_as_a_comment_and_nickname_stays_text_on_the_watch_page_and_a_refusal_is_shown()
    {
        var (host, _) = await CommentHost.StartAsync(new() { ["Comments:AllowAnonymous"] = "true", ["Rooms:main:Comments:Public"] = "true" });
        await using var _ = host;
        var staff = await host.ConnectAsync(ProducerKey);
        var atStaff = CommentHost.Collect<Comment>(staff, "CommentPosted");
        const string text = "<script>window.y=1</script><img src=x onerror=window.y=2>";
        const string nickname = "<img src=x onerror=z=1>";

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, "/watch/main").ToString());
        await page.FillAsync("#comment-nick", nickname);
        await page.FillAsync("#comment-text", text);
        await page.ClickAsync("#comment-send");
        await page.WaitForSelectorAsync("#comments li");
        var posted = Assert.Single(await CommentHost.TakeAsync(atStaff, 1));

        Assert.Equal((text, nickname), (posted.Text, posted.Nickname));
        Assert.Equal(text, await page.TextContentAsync("#comments li .text"));
        Assert.Equal(nickname, await page.TextContentAsync("#comments li .nick"));
        Assert.Equal(0, await page.Locator("#comments img, #comments script").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.y === undefined && window.z === undefined"));

        // A second comment within 2 s is refused; the page says why.
        await page.FillAsync("#comment-text", "again");
        await page.ClickAsync("#comment-send");
        await page.WaitForFunctionAsync("() => document.getElementById('comment-status').textContent.startsWith('too many comments')");
        Assert.Equal("too many comments: one comment per 2 s per connection: try again in 2 s", await page.TextContentAsync("#comment-status"));
        Assert.Equal(1, await page.Locator("#comments li").CountAsync());
    }
}
