using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Llm;
using LiveHost.ControlPlane.Tests.Llm;
using LiveHost.Engine.Lines;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static LiveHost.Console.Tests.ConsoleCommentsTests;

namespace LiveHost.Console.Tests;

/// <summary>
/// The review console's host with room main answering viewers through a language model in mode <c>review</c>: the model
/// is a real chat-completions server on loopback (<see cref="ScriptedChatServer"/>), started before the host.
/// </summary>
public sealed class LlmReviewConsoleServer : ReviewConsoleServer, IAsyncLifetime
{
    public ScriptedChatServer Chat { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>(base.ExtraSettings)
    {
        ["Llm:BaseUrl"] = Chat.BaseUrl,
        ["Llm:Model"] = "test-model",
        ["Rooms:main:Llm:Mode"] = "review",
    };

    async Task IAsyncLifetime.InitializeAsync()
    {
        Chat = await ScriptedChatServer.StartAsync();
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Chat.DisposeAsync();
    }
}

/// <summary>Issue 18 in the console (Chromium against the real host): a model's answer waits in the review panel.</summary>
public sealed class ConsoleLlmReviewTests(LlmReviewConsoleServer server) : IClassFixture<LlmReviewConsoleServer>, IAsyncLifetime
{
    private BrowserSession _browser = null!;

    public async Task InitializeAsync() => _browser = await BrowserSession.LaunchAsync();

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task A_models_answer_waits_in_the_review_panel_the_sentence_approved_in_the_page_is_spoken_and_the_one_rejected_is_never_queued()
    {
        await server.ResetAsync(paused: false);
        await using var watcher = await server.ConnectAsync(ConsoleServer.ProducerKey);
        var queued = Collect<Line>(watcher, "LineQueued");
        var started = Collect<Line>(watcher, "LineStarted");
        var ended = Collect<LlmAnswerEnded>(watcher, LlmAnswerer.EndedEvent);
        var console = await ConsolePage.SignInAsync(_browser, server.BaseAddress, ConsoleServer.ProducerKey);
        await using var viewer = await server.ConnectAsync(ReviewConsoleServer.ViewerKey);
        server.Chat.ReplyTokens(["The kettle is a lovely ", "gift. It keeps ", "our team very busy."]);

        var comment = await viewer.InvokeAsync<Comment>("SendComment", "is the kettle a good gift?", "amy", "main");
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var end = await ended.Reader.ReadAsync(wait.Token);
        Assert.Equal(("completed", comment.Id, 2), (end.Outcome, end.CommentId, end.LineIds.Count));
        var first = console.Page.Locator($"#held > li[data-id='{end.LineIds[0]}']");
        var second = console.Page.Locator($"#held > li[data-id='{end.LineIds[1]}']");
        await first.WaitForAsync();
        await second.WaitForAsync();
        Assert.Equal("The kettle is a lovely gift.", await first.Locator(".line").TextContentAsync());
        Assert.Equal("caption: @amy: is the kettle a good gift?", await first.Locator(".caption").TextContentAsync());
        Assert.Equal("held for approval: llm answer (source llm)", await first.Locator(".term").TextContentAsync());
        Assert.Equal("2", await console.TextOfAsync("#held-count"));

        await Button(first, "Approve").ClickAsync();
        var approved = await ReadUntilAsync(queued, l => l.Id == end.LineIds[0]);
        var spoken = await ReadUntilAsync(started, l => l.Id == end.LineIds[0]);
        Assert.Equal(("The kettle is a lovely gift.", LineSources.Llm, "llm:" + comment.Id), (approved.Line.Text, approved.Line.Source, approved.Line.Tag));
        Assert.Equal("@amy: is the kettle a good gift?", spoken.Line.Caption);
        await first.WaitForAsync(new() { State = WaitForSelectorState.Detached });

        await Button(second, "Reject").ClickAsync();
        await second.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal(0, (await watcher.InvokeAsync<JsonElement>("GetHeldLines", "main")).GetArrayLength());
        // Events reach a connection in order: a line queued after the rejection arrives, the rejected one never did.
        using var producer = server.Client(ConsoleServer.ProducerKey);
        var marker = await producer.PostAsJsonAsync("/api/rooms/main/lines", new { text = "A line after the review." });
        var markerId = (await marker.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var afterwards = await ReadUntilAsync(queued, l => l.Id == markerId);
        Assert.DoesNotContain(afterwards.Before.Concat(approved.Before), l => l.Id == end.LineIds[1]);
        await console.Page.WaitForFunctionAsync("() => !document.getElementById('held-empty').hidden");
        Assert.Empty(console.PageErrors);
    }
}
