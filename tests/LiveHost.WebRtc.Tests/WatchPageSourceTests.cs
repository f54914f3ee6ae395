using System.Text.Json;
using Microsoft.Playwright;

namespace LiveHost.WebRtc.Tests;

/// <summary>
/// The player page's handling of its media element, watched from inside Chromium: the page's own calls to
/// <c>srcObject</c> and <c>play()</c> are counted by an init script that wraps them before the page runs.
/// </summary>
public sealed class WatchPageSourceTests(WatchServer server) : IClassFixture<WatchServer>
{
    private const string CountMediaCalls = """
        (() => {
          window.__srcObjectSets = 0;
          window.__playRejections = [];
          const source = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
          Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
            configurable: true,
            get() { return source.get.call(this); },
            set(value) { window.__srcObjectSets++; source.set.call(this, value); },
          });
          const play = HTMLMediaElement.prototype.play;
          HTMLMediaElement.prototype.play = function () {
            const started = play.call(this);
            started.catch(e => window.__playRejections.push(e.name));
            return started;
          };
        })();
        """;

    [Fact]
    public async Task The_watch_page_gives_the_video_one_stream_once_with_both_tracks_and_plays_it_without_an_abort()
    {
        await using var browser = await BrowserSession.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        await page.AddInitScriptAsync(CountMediaCalls);

        await page.GotoAsync(new Uri(server.BaseAddress, "/watch/main").ToString());
        await page.WaitForFunctionAsync("() => window.livehost && (window.livehost.playing || window.livehost.error)", null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        await PlayerProbe.WaitForAsync(page, s => s.FramesDecoded > 0, TimeSpan.FromSeconds(20), "the first decoded video frame");

        var player = await page.EvaluateAsync<JsonElement>("""
            () => {
              const video = document.getElementById('video');
              return { sets: window.__srcObjectSets, rejections: window.__playRejections, error: window.livehost.error,
                       tracks: video.srcObject.getTracks().map(t => t.kind).sort(), paused: video.paused };
            }
            """);
        Assert.Equal(JsonValueKind.Null, player.GetProperty("error").ValueKind);
        Assert.Equal(1, player.GetProperty("sets").GetInt32());
        Assert.Equal(0, player.GetProperty("rejections").GetArrayLength());
        Assert.Equal(["audio", "video"], player.GetProperty("tracks").EnumerateArray().Select(t => t.GetString()!));
        Assert.False(player.GetProperty("paused").GetBoolean());
    }
}
