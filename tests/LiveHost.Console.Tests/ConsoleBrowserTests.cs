using System.Text.Json;
using Microsoft.Playwright;

namespace LiveHost.Console.Tests;

/// <summary>
/// The producer console in Debian's Chromium against the real host: what a producer does, what a seller may not do,
/// what a second console sees, and that text from users stays text.
/// </summary>
public sealed class ConsoleBrowserTests(ConsoleServer server) : IClassFixture<ConsoleServer>, IAsyncLifetime
{
    private BrowserSession _browser = null!;

    public async Task InitializeAsync() => _browser = await BrowserSession.LaunchAsync();

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task A_producer_queues_three_lines_reorders_two_removes_one_and_cues_one_now_and_the_console_lists_what_the_server_holds_in_its_order()
    {
        await server.ResetAsync(paused: true);
        var console = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.ProducerKey);

        const string a = "First line about the offer.", b = "Second line with the price.", c = "Third line, the call to action.";
        foreach (var line in new[] { a, b, c }) await console.SayAsync(line);
        await console.WaitForQueueAsync([a, b, c]);
        Assert.Equal([a, b, c], await server.QueuedTextsAsync());

        // Drag and drop (HTML5): the third line dropped on the first takes its place.
        await console.Page.Locator("#queue > li", new() { HasText = c }).DragToAsync(console.Page.Locator("#queue > li", new() { HasText = a }));
        await console.WaitForQueueAsync([c, a, b]);
        Assert.Equal([c, a, b], await server.QueuedTextsAsync());

        // The touch path: "move down" on the first line.
        await console.Page.Locator("#queue > li", new() { HasText = c }).GetByTitle("move down").ClickAsync();
        await console.WaitForQueueAsync([a, c, b]);
        Assert.Equal([a, c, b], await server.QueuedTextsAsync());

        await console.Page.Locator("#queue > li", new() { HasText = b }).GetByTitle("remove").ClickAsync();
        await console.WaitForQueueAsync([a, c]);
        Assert.Equal([a, c], await server.QueuedTextsAsync());
        await console.Page.WaitForFunctionAsync("() => document.getElementById('events').textContent.includes('removed: Second line with the price.')");

        // Long enough (about six seconds spoken) that the queue has not moved on while the test reads it.
        const string cue = "Flash sale, right now! Everything in the show is half price for the next five minutes, so do not wait.";
        await console.SayAsync(cue, "cue-line");
        await console.Page.WaitForFunctionAsync("expected => document.getElementById('on-air-text').textContent === expected", cue);
        var state = await server.StateAsync();
        Assert.Equal(cue, state.GetProperty("current").GetProperty("text").GetString());
        // The cue cut in ahead of the queue, which kept its order (CueNow also resumes a paused room).
        Assert.Equal([a, c], await server.QueuedTextsAsync());
        Assert.Equal([a, c], await console.QueueTextsAsync());
        Assert.Empty(console.PageErrors);
    }

    [Fact]
    public async Task The_preview_decodes_video_frames_from_the_room()
    {
        await server.ResetAsync(paused: false);
        var console = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.SellerKey);

        // Two frames presented by the compositor, the second later than the first: the picture moves.
        var frames = await console.EvaluateJsonAsync("""
            new Promise((resolve, reject) => {
              const video = document.getElementById('preview');
              const timer = setTimeout(() => reject(new Error('no frame in 20 s: ' + JSON.stringify(window.livehostConsole.preview))), 20000);
              video.requestVideoFrameCallback((now1, first) =>
                video.requestVideoFrameCallback((now2, second) => {
                  clearTimeout(timer);
                  resolve({ width: video.videoWidth, height: video.videoHeight, first: first.presentedFrames, second: second.presentedFrames, t1: first.mediaTime, t2: second.mediaTime });
                }));
            })
            """);
        Assert.Equal(640, frames.GetProperty("width").GetInt32());
        Assert.Equal(360, frames.GetProperty("height").GetInt32());
        Assert.True(frames.GetProperty("second").GetInt64() > frames.GetProperty("first").GetInt64(), frames.ToString());
        Assert.True(frames.GetProperty("t2").GetDouble() > frames.GetProperty("t1").GetDouble(), frames.ToString());
    }

    [Fact]
    public async Task A_seller_sees_producer_controls_disabled_and_a_forced_producer_call_is_refused_by_the_server()
    {
        await server.ResetAsync(paused: true);
        var console = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.SellerKey);

        Assert.Equal("Sam Seller (seller)", await console.TextOfAsync("#who"));
        await console.Page.WaitForFunctionAsync("() => document.getElementById('presenter').textContent === 'Presenter: cartoon'");
        foreach (var id in new[] { "#cue-line", "#insert-line", "#skip", "#pause", "#clear", "#output-add", "#script-stop", "#product-hide", "#presenter-switch", "#presenter-now" })
        {
            Assert.True(await console.IsDisabledAsync(id), id + " should be disabled for a seller");
        }
        Assert.False(await console.IsDisabledAsync("#queue-line"), "a seller may queue lines");
        Assert.True(await console.Page.IsHiddenAsync("#audit-card"), "the audit panel is for admins");

        // Forced from the page's own connection, around the disabled button: the hub refuses it and nothing is said.
        var refusal = await console.Page.EvaluateAsync<string>("""
            () => window.livehostConsole.connection.invoke('CueNow', { room: 'main', text: 'forced by a seller' })
                    .then(() => 'accepted', e => String(e.message))
            """);
        Assert.Contains("this needs the producer role; your key has seller", refusal);
        var skip = await console.Page.EvaluateAsync<string>(
            "() => window.livehostConsole.connection.invoke('ClearQueue', 'main').then(() => 'accepted', e => String(e.message))");
        Assert.Contains("producer role", skip);

        var state = await server.StateAsync();
        Assert.Equal(JsonValueKind.Null, state.GetProperty("current").ValueKind);
        Assert.DoesNotContain("forced by a seller", await server.QueuedTextsAsync());

        // What a seller may do still works from the same page.
        await console.SayAsync("A seller's line.");
        Assert.Equal(["A seller's line."], await server.QueuedTextsAsync());
    }

    [Fact]
    public async Task A_second_console_sees_the_first_ones_changes_within_a_second()
    {
        await server.ResetAsync(paused: true);
        var first = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.ProducerKey);
        var second = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.SellerKey);

        // Both pages run in one browser: Date.now() is one clock. The first page stamps the click, the second stamps
        // the moment its list shows the line (a MutationObserver, so no polling interval is added).
        await second.Page.EvaluateAsync("""
            () => {
              window.seen = {};
              const check = () => {
                const texts = [...document.querySelectorAll('#queue > li .line')].map(e => e.textContent);
                if (texts.includes('Seen by the other console.') && !window.seen.line) window.seen.line = Date.now();
                if (document.getElementById('pause').textContent === 'Pause' && !window.seen.resumed) window.seen.resumed = Date.now();
              };
              new MutationObserver(check).observe(document.getElementById('app'), { subtree: true, childList: true, characterData: true });
            }
            """);
        await first.Page.EvaluateAsync("""
            () => {
              window.clicked = {};
              document.getElementById('queue-line').addEventListener('click', () => window.clicked.line = Date.now(), { capture: true });
              document.getElementById('pause').addEventListener('click', () => window.clicked.resumed = Date.now(), { capture: true });
            }
            """);

        await first.SayAsync("Seen by the other console.");
        await second.Page.WaitForFunctionAsync("() => window.seen.line", null, new() { Timeout = 10_000 });
        Assert.Equal("Resume", await first.TextOfAsync("#pause"));
        await first.Page.ClickAsync("#pause");
        await second.Page.WaitForFunctionAsync("() => window.seen.resumed", null, new() { Timeout = 10_000 });

        var clicked = await first.EvaluateJsonAsync("window.clicked");
        var seen = await second.EvaluateJsonAsync("window.seen");
        var lineDelay = seen.GetProperty("line").GetDouble() - clicked.GetProperty("line").GetDouble();
        var resumeDelay = seen.GetProperty("resumed").GetDouble() - clicked.GetProperty("resumed").GetDouble();
        Assert.True(lineDelay is >= 0 and < 1000, $"the second console listed the line {lineDelay} ms after the click");
        Assert.True(resumeDelay is >= 0 and < 1000, $"the second console showed the room resumed {resumeDelay} ms after the click on Resume");
    }

    [Fact]
    public async Task Markup_in_a_key_name_and_in_a_line_is_shown_as_text_and_nothing_in_it_runs()
    {
        await server.ResetAsync(paused: true);
        var console = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.MarkupKey);
        var line = "Today only " + ConsoleServer.Markup + " half price";
        await console.SayAsync(line);
        await console.WaitForQueueAsync([line]);
        await console.SayAsync(ConsoleServer.Markup, "cue-line");
        await console.Page.WaitForFunctionAsync("expected => document.getElementById('on-air-text').textContent === expected", ConsoleServer.Markup);

        Assert.Equal(ConsoleServer.Markup + " (producer)", await console.TextOfAsync("#who"));
        Assert.Contains(ConsoleServer.Markup, await console.TextOfAsync("#events"));
        // Had any of it become markup, an <img> would exist and its onerror (src=x fails at once) would have counted.
        Assert.Equal(0, await console.Page.EvaluateAsync<int>("() => document.querySelectorAll('body img').length"));
        Assert.True(await console.Page.EvaluateAsync<bool>("() => window.__xss === undefined"));
        Assert.Empty(console.Dialogs);
        Assert.Empty(console.PageErrors);
    }

    [Fact]
    public async Task An_admin_sees_the_audit_of_the_room_with_markup_in_its_arguments_as_text_and_verifies_the_chain()
    {
        await server.ResetAsync(paused: true);
        var console = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.AdminKey);
        Assert.True(await console.Page.IsVisibleAsync("#audit-card"));
        var line = "Audited " + ConsoleServer.Markup;
        await console.SayAsync(line);

        await console.Page.ClickAsync("#audit-refresh");
        var entry = console.Page.Locator("#audit > li", new() { HasText = "Ada Admin (admin) EnqueueLine" });
        await entry.First.WaitForAsync(new() { Timeout = 10_000 });
        Assert.Contains(ConsoleServer.Markup.Replace("\"", "\\\"", StringComparison.Ordinal), await entry.First.TextContentAsync());
        await console.Page.ClickAsync("#audit-verify");
        await console.Page.WaitForFunctionAsync("() => document.getElementById('audit-verdict').textContent.startsWith('intact')");

        Assert.Equal(0, await console.Page.EvaluateAsync<int>("() => document.querySelectorAll('body img').length"));
        Assert.True(await console.Page.EvaluateAsync<bool>("() => window.__xss === undefined"));
        Assert.Empty(console.Dialogs);
    }

    [Fact]
    public async Task An_admin_adds_an_output_sees_its_state_and_last_error_with_the_stream_key_masked_and_removes_it()
    {
        await server.ResetAsync(paused: true);
        var console = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.AdminKey);
        var port = LiveHost.TestSupport.FreePort.GetLoopbackTcpPort();
        await console.Page.FillAsync("#output-url", $"rtmp://127.0.0.1:{port}/live/very-secret-stream-key");
        await console.Page.ClickAsync("#output-add");

        // Nothing listens there: the output keeps retrying and says why, and the page never shows the stream key.
        var item = console.Page.Locator("#outputs > li", new() { HasText = $"rtmp://127.0.0.1:{port}/live/****" });
        await item.Locator(".meta.error").WaitForAsync(new() { Timeout = 20_000 });
        Assert.DoesNotContain("very-secret-stream-key", await console.TextOfAsync("#outputs"));
        Assert.Contains("rtmp", (await item.Locator(".meta").First.TextContentAsync())!);

        // Paused from the panel: the server reports it paused, and the button turns into resume.
        await item.GetByTitle("pause output").ClickAsync();
        await item.GetByTitle("resume output").WaitForAsync(new() { Timeout = 10_000 });
        Assert.Contains("paused", (await item.Locator(".meta").First.TextContentAsync())!);
        using (var admin = server.Client(ConsoleServer.AdminKey))
        {
            Assert.Contains("\"status\":\"paused\"", await admin.GetStringAsync("/api/rooms/main/outputs"), StringComparison.Ordinal);
        }

        await item.GetByTitle("remove output").ClickAsync();
        await item.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached, Timeout = 10_000 });
        using var client = server.Client(ConsoleServer.AdminKey);
        Assert.Equal("[]", await client.GetStringAsync("/api/rooms/main/outputs"));
    }

    [Fact]
    public async Task The_console_fits_a_laptop_and_a_phone_without_sideways_scrolling_and_screenshots_are_kept()
    {
        await server.ResetAsync(paused: true);
        using (var client = server.Client(ConsoleServer.ProducerKey))
        {
            foreach (var (text, language) in new[] { ("Welcome to the evening show, everyone.", "en"), ("Our first product tonight is the travel kettle.", "en"), ("欢迎来到直播间，今天有特价。", "zh") })
            {
                var response = await client.PostAsync("/api/rooms/main/lines", JsonContent(new { text, language }));
                response.EnsureSuccessStatusCode();
            }
        }
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            var console = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.AdminKey, width, height);
            await console.WaitForQueueAsync(await server.QueuedTextsAsync());
            await console.Page.WaitForFunctionAsync("() => document.getElementById('preview').videoWidth > 0", null, new() { Timeout = 20_000 });
            var path = await console.ScreenshotAsync($"console-{width}x{height}.png");
            Assert.True(new FileInfo(path).Length > 10_000, path);

            var scroll = await console.EvaluateJsonAsync("({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })");
            Assert.True(scroll.GetProperty("scroll").GetInt32() <= scroll.GetProperty("inner").GetInt32(), $"{width}x{height}: {scroll}");
            foreach (var id in new[] { "#cue-line", "#skip", "#queue", "#preview" })
            {
                var box = await console.Page.Locator(id).BoundingBoxAsync();
                Assert.NotNull(box);
                Assert.True(box.X >= 0 && box.X + box.Width <= width + 0.5, $"{id} at {width}x{height}: x {box.X} width {box.Width}");
            }
            await console.Page.CloseAsync();
        }
    }

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
