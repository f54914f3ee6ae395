using System.Text.Json;

namespace LiveHost.Console.Tests;

/// <summary>The console's script and product panels against the real show: what a producer does from the page.</summary>
public sealed class ConsoleShowTests(ConsoleServer server) : IClassFixture<ConsoleServer>, IAsyncLifetime
{
    private BrowserSession _browser = null!;

    public async Task InitializeAsync() => _browser = await BrowserSession.LaunchAsync();

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    /// <summary>
    /// Draws the preview's current frame to a canvas and returns the mean brightness of each cell of a 16x9 grid
    /// (cell [row * 16 + column]), as decoded by Chromium.
    /// </summary>
    private const string GridOfFrame = """
        new Promise((resolve, reject) => {
          const video = document.getElementById('preview');
          const timer = setTimeout(() => reject(new Error('no frame')), 15000);
          video.requestVideoFrameCallback(() => {
            clearTimeout(timer);
            const canvas = document.createElement('canvas');
            canvas.width = video.videoWidth; canvas.height = video.videoHeight;
            const g = canvas.getContext('2d');
            g.drawImage(video, 0, 0);
            const { data } = g.getImageData(0, 0, canvas.width, canvas.height);
            const cells = new Array(16 * 9).fill(0), counts = new Array(16 * 9).fill(0);
            for (let y = 0; y < canvas.height; y++) for (let x = 0; x < canvas.width; x++) {
              const i = (y * canvas.width + x) * 4, c = Math.floor(y * 9 / canvas.height) * 16 + Math.floor(x * 16 / canvas.width);
              cells[c] += (data[i] + data[i + 1] + data[i + 2]) / 3; counts[c]++;
            }
            resolve(cells.map((v, i) => v / counts[i]));
          });
        })
        """;

    [Fact]
    public async Task A_product_saved_and_shown_from_the_console_changes_the_decoded_video_in_the_cards_area_and_its_markup_name_stays_text()
    {
        await server.ResetAsync(paused: false);
        var console = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.ProducerKey);
        await console.Page.WaitForFunctionAsync("() => document.getElementById('preview').videoWidth > 0", null, new() { Timeout = 20_000 });

        var name = "Kettle " + ConsoleServer.Markup;
        await console.Page.ClickAsync("#products-card summary");
        await console.Page.FillAsync("#product-name", name);
        await console.Page.FillAsync("#product-price", "19.99");
        await console.Page.FillAsync("#product-currency", "USD");
        await console.Page.FillAsync("#product-bullets", "1.7 litres\nboils in 3 minutes");
        await console.Page.ClickAsync("#product-save");
        var item = console.Page.Locator("#products > li", new() { HasText = "Kettle" });
        await item.WaitForAsync();
        Assert.Equal(name, await item.Locator(".line").TextContentAsync());

        // Two frames without the card: how much the card's area changes by itself (the avatar breathes, blinks).
        var before = await console.EvaluateJsonAsync(GridOfFrame);
        var still = await console.EvaluateJsonAsync(GridOfFrame);

        await item.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
        await console.Page.WaitForFunctionAsync("() => document.getElementById('product-state').textContent.startsWith('on screen: Kettle')");
        Assert.Equal("on screen: " + name, await console.TextOfAsync("#product-state"));
        Assert.Equal(name, (await server.StateAsync()).GetProperty("product").GetProperty("name").GetString());

        // The card is drawn in the left column (x 3..30 %, y 8..70 %); give the encoder and the player a moment by
        // waiting for frames, not time: the first frame whose card cells changed, within 5 s of frames.
        double[] shown = [];
        for (var attempt = 0; attempt < 125; attempt++)
        {
            shown = Cells(await console.EvaluateJsonAsync(GridOfFrame));
            if (Change(Cells(before), shown, CardCells) > 25) break;
        }
        var noise = Change(Cells(before), Cells(still), CardCells);
        var card = Change(Cells(before), shown, CardCells);
        var elsewhere = Change(Cells(before), shown, RightEdgeCells);
        Assert.True(card > 25 && card > 3 * noise, $"card area changed by {card:0.0} (by itself {noise:0.0})");
        Assert.True(elsewhere < 15, $"the right edge changed by {elsewhere:0.0}: the card should stay on the left");

        Assert.Equal(0, await console.Page.EvaluateAsync<int>("() => document.querySelectorAll('body img').length"));
        Assert.True(await console.Page.EvaluateAsync<bool>("() => window.__xss === undefined"));
        Assert.Empty(console.Dialogs);

        await console.Page.ClickAsync("#product-hide");
        await console.Page.WaitForFunctionAsync("() => document.getElementById('product-state').textContent === ''");
    }

    [Fact]
    public async Task A_looping_script_keeps_the_room_speaking_for_three_cycles_with_no_gap_over_a_second_and_a_cue_cuts_in()
    {
        await server.ResetAsync(paused: false);
        var console = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.ProducerKey);
        // Every line event the page's own connection receives, with the server's timestamps.
        await console.Page.EvaluateAsync("""
            () => {
              window.lines = [];
              for (const type of ['LineStarted', 'LineFinished'])
                window.livehostConsole.connection.on(type, l => window.lines.push({ type, id: l.id, text: l.text, source: l.source, reason: l.reason, startedAt: l.startedAt, finishedAt: l.finishedAt }));
            }
            """);

        await console.Page.ClickAsync("#scripts-card summary");
        await console.Page.FillAsync("#script-name", "Evening loop");
        await console.Page.FillAsync("#script-text", "Welcome to the shop.\nEverything ships free today.");
        await console.Page.ClickAsync("#script-save");
        var item = console.Page.Locator("#scripts > li", new() { HasText = "Evening loop" });
        await item.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Loop", Exact = true }).ClickAsync();
        await console.Page.WaitForFunctionAsync("() => document.getElementById('script-state').textContent.startsWith('Evening loop · loop')");

        // After the first cycle, a producer cuts in.
        await console.Page.WaitForFunctionAsync("() => window.lines.filter(l => l.type === 'LineStarted' && l.source === 'script').length >= 2", null, new() { Timeout = 30_000 });
        await console.SayAsync("A word from the producer.", "cue-line");
        // Three full cycles of the two-line script (the cue interrupts one line, which the loop does not repeat).
        await console.Page.WaitForFunctionAsync("() => window.lines.filter(l => l.type === 'LineFinished' && l.source === 'script').length >= 7", null, new() { Timeout = 60_000 });
        await console.Page.ClickAsync("#script-stop");

        var events = (await console.EvaluateJsonAsync("window.lines")).EnumerateArray().ToArray();
        var started = events.Where(e => e.GetProperty("type").GetString() == "LineStarted").ToArray();
        var finished = events.Where(e => e.GetProperty("type").GetString() == "LineFinished")
            .ToDictionary(e => e.GetProperty("id").GetString()!);
        var cue = Array.FindIndex(started, e => e.GetProperty("text").GetString() == "A word from the producer.");
        Assert.True(cue >= 2, "the cue started after the first cycle");
        Assert.Equal("script", started[cue - 1].GetProperty("source").GetString());
        Assert.Equal("script", started[cue + 1].GetProperty("source").GetString());
        Assert.Contains(finished.Values, e => e.GetProperty("reason").GetString() == "interrupted" && e.GetProperty("source").GetString() == "script");

        // The room never fell silent for more than a second between one line's end and the next one's start
        // (server timestamps of the same room, carried by the events).
        for (var i = 1; i < started.Length; i++)
        {
            var previous = finished[started[i - 1].GetProperty("id").GetString()!];
            var gap = started[i].GetProperty("startedAt").GetDateTimeOffset() - previous.GetProperty("finishedAt").GetDateTimeOffset();
            Assert.True(gap < TimeSpan.FromSeconds(1), $"{gap.TotalMilliseconds:0} ms of silence before line {i}: {started[i]}");
        }
    }

    // Grid cells (16 x 9) inside the card's region, and a column at the right edge where nothing should change.
    private static readonly int[] CardCells = [.. from row in Enumerable.Range(1, 6) from column in Enumerable.Range(0, 5) select row * 16 + column];
    private static readonly int[] RightEdgeCells = [.. from row in Enumerable.Range(2, 4) select row * 16 + 15];

    private static double[] Cells(JsonElement grid) => [.. grid.EnumerateArray().Select(v => v.GetDouble())];

    /// <summary>The largest change of a cell's mean brightness among <paramref name="cells"/> (0..255).</summary>
    private static double Change(double[] a, double[] b, int[] cells) => cells.Max(c => Math.Abs(a[c] - b[c]));
}
