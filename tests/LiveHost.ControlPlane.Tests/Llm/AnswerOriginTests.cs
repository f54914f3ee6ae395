using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.ControlPlane.Tests.Comments;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Llm;

/// <summary>
/// FAQ answers and model answers keep where they came from (<see cref="Line.Source"/> <c>answer</c> and <c>llm</c>) in the
/// engine's real room: in its state, in the line store (SQLite) and in the <c>LineQueued</c> event consoles receive.
/// </summary>
public sealed class AnswerOriginTests : IAsyncLifetime
{
    private readonly EngineRoom _room = new();
    private ScriptedChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptedChatServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _room.DisposeAsync();
    }

    [Fact]
    public async Task An_faq_auto_answer_is_an_answer_line_and_a_model_answer_an_llm_line_from_queue_to_store_to_console()
    {
        var settings = LlmHost.Settings(_server.BaseUrl);
        settings["Rooms:main:AutoAnswer"] = "true";
        var (host, time) = await StartAsync(settings);
        await using var _ = host;
        var producer = await host.ConnectAsync(ProducerKey);
        await producer.InvokeAsync<FaqEntry>("SaveFaq", new FaqEntry(null, null, ["How much does it cost?"], "It is 29 dollars today.", "en"));
        var queued = CommentHost.Collect<Line>(producer, "LineQueued");
        var viewer = await host.ConnectAsync(ViewerKey);
        _server.ReplyTokens(["I do not know yet; the team will follow up."]);

        var faqComment = await viewer.InvokeAsync<Comment>("SendComment", "how much does it cost?");
        var faqLine = Assert.Single(await CommentHost.TakeAsync(queued, 1));
        time.Advance(TimeSpan.FromSeconds(3));
        var llmComment = await viewer.InvokeAsync<Comment>("SendComment", "is the lid dishwasher safe?");
        var llmLine = Assert.Single(await CommentHost.TakeAsync(queued, 1));
        var stored = _room.Store.LoadUnfinished("main").ToDictionary(l => l.Id);

        Assert.Equal(("answer:" + faqComment.Id, LineSources.Answer), (faqLine.Tag, faqLine.Source));
        Assert.Equal(("llm:" + llmComment.Id, LineSources.Llm), (llmLine.Tag, llmLine.Source));
        Assert.Equal([LineSources.Answer, LineSources.Llm], _room.Controller.GetState().Queue.Select(l => l.Source));
        Assert.Equal(LineSources.Answer, stored[faqLine.Id].Source);
        Assert.Equal(LineSources.Llm, stored[llmLine.Id].Source);
    }

    [Fact]
    public async Task A_held_model_answer_stays_an_llm_line_once_approved_and_a_producers_faq_answer_is_an_answer_line()
    {
        var (host, _) = await StartAsync(LlmHost.Settings(_server.BaseUrl, mode: "review"));
        await using var __ = host;
        var producer = await host.ConnectAsync(ProducerKey);
        var entry = await producer.InvokeAsync<FaqEntry>("SaveFaq", new FaqEntry(null, null, ["Does it ship abroad?"], "Yes, we ship worldwide.", "en"));
        var queued = CommentHost.Collect<Line>(producer, "LineQueued");
        var ended = LlmHost.CollectEnded(producer);
        var viewer = await host.ConnectAsync(ViewerKey);
        _server.ReplyTokens(["It is lovely tea."]);

        var comment = await viewer.InvokeAsync<Comment>("SendComment", "what is it like?");
        var end = await LlmHost.EndedAsync(ended);
        var held = Assert.Single(await producer.InvokeAsync<HeldLine[]>("GetHeldLines"));
        await producer.InvokeAsync<LineTicket>("ApproveLine", end.LineIds[0]);
        var approved = Assert.Single(await CommentHost.TakeAsync(queued, 1));
        await producer.InvokeAsync<LineTicket>("AnswerComment", comment.Id, entry.Id);
        var answered = Assert.Single(await CommentHost.TakeAsync(queued, 1));

        Assert.Equal(LineSources.Llm, held.Line.Source);
        Assert.Equal((end.LineIds[0], LineSources.Llm), (approved.Id, approved.Source));
        Assert.Equal(("Yes, we ship worldwide.", LineSources.Answer), (answered.Text, answered.Source));
        Assert.Equal([LineSources.Llm, LineSources.Answer], _room.Store.LoadUnfinished("main").Select(l => l.Source));
    }

    private async Task<(ControlPlaneTestHost Host, Microsoft.Extensions.Time.Testing.FakeTimeProvider Time)> StartAsync(Dictionary<string, string?> settings)
    {
        var started = await LlmHost.StartAsync(settings, s => s.AddSingleton<IRoomRegistry>(_room.Registry));
        _room.Events.Target = started.Host.Sink;
        return started;
    }
}
