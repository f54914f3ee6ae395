using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using LiveHost.ControlPlane.Comments;
using LiveHost.Engine.Lines;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace LiveHost.Console.Tests;

/// <summary>The console's host with room main in moderation mode <c>review</c> and a viewer key that comments.</summary>
public class ReviewConsoleServer : ConsoleServer
{
    public const string ViewerKey = "console-viewer-key-0123456789";

    protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
    {
        ["Rooms:main:Moderation:Mode"] = "review",
        ["Auth:Keys:4:Key"] = ViewerKey,
        ["Auth:Keys:4:Role"] = "viewer",
        ["Auth:Keys:4:Name"] = "Vic Viewer",
        // The tests post comments back to back from one connection; the rate limits have their own tests.
        ["Comments:MinInterval"] = "00:00:00",
    };

    /// <summary>A .NET hub client with <paramref name="key"/>, started (keyed connections get room main's events).</summary>
    public async Task<HubConnection> ConnectAsync(string key)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "/hubs/control"), options =>
            {
                options.AccessTokenProvider = () => Task.FromResult<string?>(key);
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }
}

/// <summary>
/// Issue 11 in the console (Chromium against the real host): the review list, viewers' comments as text, and the
/// one-click FAQ answer.
/// </summary>
public sealed class ConsoleCommentsTests(ReviewConsoleServer server) : IClassFixture<ReviewConsoleServer>, IAsyncLifetime
{
    private const string ScriptNick = "<script>f()</script>";
    private const string ImgNick = "<img src=x onerror=f()>";
    private const string ScriptText = "<script>window.__xss=(window.__xss||0)+1;alert(1)</script> hello";

    private BrowserSession _browser = null!;

    public async Task InitializeAsync()
    {
        _browser = await BrowserSession.LaunchAsync();
        // Had any markup run, f() would set the flag (and an alert would open a dialog).
        await _browser.Context.AddInitScriptAsync("window.f = () => { window.__xss = (window.__xss || 0) + 1; };");
    }

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task Held_seller_lines_show_their_blocked_term_an_edited_approval_is_queued_and_spoken_and_a_rejected_line_is_never_queued()
    {
        await server.ResetAsync(paused: false);
        await using var watcher = await server.ConnectAsync(ConsoleServer.ProducerKey);
        var queued = Collect<Line>(watcher, "LineQueued");
        var started = Collect<Line>(watcher, "LineStarted");
        var console = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.ProducerKey);

        var zh = await HoldAsync("这是最佳选择，大家快来买", "zh");
        var en = await HoldAsync("This cream is a guaranteed cure for dry skin.", "en");

        var zhItem = console.Page.Locator($"#held > li[data-id='{zh}']");
        var enItem = console.Page.Locator($"#held > li[data-id='{en}']");
        await zhItem.WaitForAsync();
        await enItem.WaitForAsync();
        Assert.Equal("最佳", await zhItem.Locator("mark").TextContentAsync());
        Assert.Equal("blocked term '最佳' (zh list) at character 3 of the text", await zhItem.Locator(".term").TextContentAsync());
        Assert.Equal("guaranteed cure", await enItem.Locator("mark").TextContentAsync());
        Assert.Equal("blocked term 'guaranteed cure' (en list) at character 17 of the text", await enItem.Locator(".term").TextContentAsync());
        Assert.Equal("2", await console.TextOfAsync("#held-count"));

        const string lawful = "这是很受欢迎的选择，大家快来买";
        await Button(zhItem, "Edit").ClickAsync();
        await zhItem.Locator("textarea").FillAsync(lawful);
        await Button(zhItem, "Approve edited").ClickAsync();
        var approved = await ReadUntilAsync(queued, l => l.Id == zh);
        var spoken = await ReadUntilAsync(started, l => l.Id == zh);
        Assert.Equal(lawful, approved.Line.Text);
        Assert.Equal(lawful, spoken.Line.Text);
        await zhItem.WaitForAsync(new() { State = WaitForSelectorState.Detached });

        await Button(enItem, "Reject").ClickAsync();
        await enItem.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal(0, (await watcher.InvokeAsync<JsonElement>("GetHeldLines", "main")).GetArrayLength());
        var again = await Assert.ThrowsAsync<HubException>(() => watcher.InvokeAsync<JsonElement>("ApproveLine", en, null, "main"));
        Assert.Contains("holds no line", again.Message);
        // A connection receives events in order: a line queued after the rejection arrives, and the rejected one never did.
        var marker = await EnqueueAsync("A lawful line after the review.");
        var afterwards = await ReadUntilAsync(queued, l => l.Id == marker);
        Assert.DoesNotContain(afterwards.Before, l => l.Id == en);
        Assert.DoesNotContain(approved.Before, l => l.Id == en);

        await console.Page.WaitForFunctionAsync("() => !document.getElementById('held-empty').hidden");
        Assert.Equal("", await console.TextOfAsync("#held-count"));
        Assert.Empty(console.PageErrors);
    }

    [Fact]
    public async Task Markup_in_a_viewers_comment_or_nickname_is_shown_as_text_in_the_comments_panel_and_nothing_in_it_runs()
    {
        await server.ResetAsync(paused: true);
        await using var viewer = await server.ConnectAsync(ReviewConsoleServer.ViewerKey);
        // One comment before the console opens (it reads GetComments), one after (CommentPosted).
        var before = await viewer.InvokeAsync<Comment>("SendComment", ScriptText, ImgNick, "main");
        var console = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.ProducerKey);
        var first = console.Page.Locator($"#comments > li[data-id='{before.Id}']");
        await first.WaitForAsync();
        var after = await viewer.InvokeAsync<Comment>("SendComment", ConsoleServer.Markup, ScriptNick, "main");
        var second = console.Page.Locator($"#comments > li[data-id='{after.Id}']");
        await second.WaitForAsync();

        Assert.Equal(ImgNick, await first.Locator(".nick").TextContentAsync());
        Assert.Equal(ScriptText, await first.Locator(".words").TextContentAsync());
        Assert.Equal(ScriptNick, await second.Locator(".nick").TextContentAsync());
        Assert.Equal(ConsoleServer.Markup, await second.Locator(".words").TextContentAsync());
        Assert.Equal(after.Id, await console.Page.Locator("#comments > li").First.GetAttributeAsync("data-id"));
        Assert.Equal(0, await console.Page.EvaluateAsync<int>("() => document.querySelectorAll('body img').length"));
        Assert.True(await console.Page.EvaluateAsync<bool>("() => [...document.scripts].every(s => s.src.includes('/console/assets/'))"));
        Assert.True(await console.Page.EvaluateAsync<bool>("() => typeof window.f === 'function' && window.__xss === undefined"));
        Assert.Empty(console.Dialogs);
        Assert.Empty(console.PageErrors);
    }

    [Fact]
    public async Task An_FAQ_suggestion_shows_beside_its_comment_and_Answer_queues_the_answer_captioned_with_the_question_while_a_seller_may_not_click_it()
    {
        await server.ResetAsync(paused: true);
        using var seller = server.Client(ConsoleServer.SellerKey);
        var saved = await seller.PostAsJsonAsync("/api/rooms/main/faq", new
        {
            questions = new[] { "How much does the kettle cost?", "What is the price of the kettle?" },
            answer = "The kettle is twenty nine dollars today.",
            language = "en",
        });
        saved.EnsureSuccessStatusCode();
        var entryId = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await using var watcher = await server.ConnectAsync(ConsoleServer.ProducerKey);
        var queued = Collect<Line>(watcher, "LineQueued");
        var producer = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.ProducerKey);
        var sellerConsole = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.SellerKey);
        await using var viewer = await server.ConnectAsync(ReviewConsoleServer.ViewerKey);

        var comment = await viewer.InvokeAsync<Comment>("SendComment", "how much is the kettle?", "amy", "main");
        var suggestion = producer.Page.Locator($"#comments > li[data-id='{comment.Id}'] .suggestion");
        await suggestion.WaitForAsync();
        var shown = await suggestion.TextContentAsync();
        Assert.Equal(entryId, await suggestion.GetAttributeAsync("data-entry"));
        Assert.Contains("FAQ: How much does the kettle cost?", shown);
        Assert.Contains("The kettle is twenty nine dollars today.", shown);
        Assert.Matches(@"score (0\.\d\d|1\.00) · en", shown);
        var sellersAnswer = Button(sellerConsole.Page.Locator($"#comments > li[data-id='{comment.Id}'] .suggestion"), "Answer");
        await sellersAnswer.WaitForAsync();
        Assert.True(await sellersAnswer.IsDisabledAsync(), "a seller may not answer");

        await Button(suggestion, "Answer").ClickAsync();
        var answer = (await ReadUntilAsync(queued, l => l.Tag == "answer:" + comment.Id)).Line;
        Assert.Equal("The kettle is twenty nine dollars today.", answer.Text);
        Assert.Equal("@amy: how much is the kettle?", answer.Caption);
        await Button(suggestion, "Answered").WaitForAsync();
        Assert.Contains("queued at position", await suggestion.Locator(".status").TextContentAsync());
        Assert.Contains("The kettle is twenty nine dollars today.", await server.QueuedTextsAsync());
        Assert.Empty(producer.PageErrors);
    }

    internal static ILocator Button(ILocator scope, string name) =>
        scope.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>A seller's line through REST: in review mode it is held (position -1); returns its id.</summary>
    private async Task<string> HoldAsync(string text, string language)
    {
        using var client = server.Client(ConsoleServer.SellerKey);
        var response = await client.PostAsJsonAsync("/api/rooms/main/lines", new { text, language });
        response.EnsureSuccessStatusCode();
        var ticket = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(-1, ticket.GetProperty("position").GetInt32());
        return ticket.GetProperty("id").GetString()!;
    }

    private async Task<string> EnqueueAsync(string text)
    {
        using var client = server.Client(ConsoleServer.ProducerKey);
        var response = await client.PostAsJsonAsync("/api/rooms/main/lines", new { text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    internal static Channel<T> Collect<T>(HubConnection connection, string name)
    {
        var channel = Channel.CreateUnbounded<T>();
        connection.On<T>(name, item => channel.Writer.TryWrite(item));
        return channel;
    }

    /// <summary>Reads events until one matches; returns it and the events read before it.</summary>
    internal static async Task<(Line Line, List<Line> Before)> ReadUntilAsync(Channel<Line> channel, Func<Line, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var before = new List<Line>();
        while (true)
        {
            var line = await channel.Reader.ReadAsync(timeout.Token);
            if (match(line)) return (line, before);
            before.Add(line);
        }
    }
}
