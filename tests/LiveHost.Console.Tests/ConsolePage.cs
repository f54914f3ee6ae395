using System.Text.Json;
using Microsoft.Playwright;

namespace LiveHost.Console.Tests;

/// <summary>Drives /console/main in a Chromium page: signs in by typing the key, reads what the page shows.</summary>
public sealed class ConsolePage
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(30);

    private ConsolePage(IPage page) => Page = page;

    public IPage Page { get; }

    /// <summary>Dialogs the page opened (alert, confirm...): none is expected, ever.</summary>
    public List<string> Dialogs { get; } = [];

    /// <summary>Errors thrown by the page's scripts.</summary>
    public List<string> PageErrors { get; } = [];

    public static async Task<ConsolePage> SignInAsync(BrowserSession browser, Uri server, string key, int width = 1280, int height = 800)
    {
        var page = await browser.Context.NewPageAsync();
        await page.SetViewportSizeAsync(width, height);
        var console = new ConsolePage(page);
        page.Dialog += async (_, dialog) =>
        {
            console.Dialogs.Add(dialog.Type + ": " + dialog.Message);
            await dialog.DismissAsync();
        };
        page.PageError += (_, error) => console.PageErrors.Add(error);
        await page.GotoAsync(new Uri(server, "/console/main").ToString());
        await page.FillAsync("#key", key);
        await page.ClickAsync("#sign-in button[type=submit]");
        await page.WaitForFunctionAsync("() => window.livehostConsole && window.livehostConsole.ready === true", null,
            new() { Timeout = (float)Ready.TotalMilliseconds });
        return console;
    }

    /// <summary>Types a line and presses one of the line box's buttons (#queue-line, #insert-line, #cue-line).</summary>
    public async Task SayAsync(string text, string buttonId = "queue-line")
    {
        await Page.FillAsync("#line-text", text);
        await Page.ClickAsync("#" + buttonId);
        // The box empties once the server accepted the line.
        await Page.WaitForFunctionAsync("() => document.getElementById('line-text').value === ''", null, new() { Timeout = 15_000 });
    }

    /// <summary>The texts of the queue as the page lists it, in its order.</summary>
    public Task<string[]> QueueTextsAsync() =>
        Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#queue > li:not(.scheduled) .line')].map(e => e.textContent)");

    /// <summary>Waits (on the page's own updates) until the listed queue equals <paramref name="texts"/>.</summary>
    public async Task WaitForQueueAsync(string[] texts, int timeoutMs = 10_000)
    {
        try
        {
            await Page.WaitForFunctionAsync(
                "expected => JSON.stringify([...document.querySelectorAll('#queue > li:not(.scheduled) .line')].map(e => e.textContent)) === JSON.stringify(expected)",
                texts, new() { Timeout = timeoutMs });
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the console lists [{string.Join(", ", await QueueTextsAsync())}], expected [{string.Join(", ", texts)}]");
        }
    }

    public Task<string> TextOfAsync(string selector) => Page.InnerTextAsync(selector);

    public Task<bool> IsDisabledAsync(string selector) => Page.IsDisabledAsync(selector);

    public async Task<string> ScreenshotAsync(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    public async Task<JsonElement> EvaluateJsonAsync(string expression)
    {
        var json = await Page.EvaluateAsync<string>($"async () => JSON.stringify(await ({expression}))");
        return JsonSerializer.Deserialize<JsonElement>(json);
    }
}
