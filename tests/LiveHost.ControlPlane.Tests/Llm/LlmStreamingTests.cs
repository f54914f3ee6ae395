using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.ControlPlane.Tests.Comments;
using LiveHost.Engine.Lines;
using Microsoft.AspNetCore.SignalR.Client;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Llm;

/// <summary>Answers streamed from a real chat server on loopback into a room, sentence by sentence.</summary>
public sealed class LlmStreamingTests
{
    [Fact]
    public async Task The_first_sentence_is_queued_while_the_server_has_not_yet_sent_the_rest()
    {
        await using var server = await ScriptedChatServer.StartAsync();
        var (host, _) = await LlmHost.StartAsync(LlmHost.Settings(server.BaseUrl));
        await using var _ = host;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Reply(async r =>
        {
            await r.SendAsync("Hello ");
            await r.SendAsync("there, Amy. It ");
            await gate.Task;
            await r.SendAsync("ships ");
            await r.SendAsync("today.");
            await r.DoneAsync();
        });
        var producer = await host.ConnectAsync(ProducerKey);
        var ended = LlmHost.CollectEnded(producer);
        var viewer = await host.ConnectAsync(ViewerKey);

        var comment = await viewer.InvokeAsync<Comment>("SendComment", "when does my order leave?", "amy");
        var first = Assert.Single(await CommentHost.TakeAsync(host.Rooms["main"].RequestsReceived, 1));
        var sentWhileHeld = gate.Task.IsCompleted;
        gate.SetResult();
        var end = await LlmHost.EndedAsync(ended);

        Assert.False(sentWhileHeld);
        Assert.Equal("Hello there, Amy.", first.Text);
        Assert.Equal("@amy: when does my order leave?", first.Caption);
        Assert.Equal("en", first.Language);
        Assert.Equal("llm:" + comment.Id, first.Tag);
        Assert.Equal("completed", end.Outcome);
        Assert.Equal(comment.Id, end.CommentId);
        Assert.Equal(2, end.LineIds.Count);
        Assert.Equal(["Hello there, Amy.", "It ships today."], host.Rooms["main"].Requests.Select(r => r.Text));
    }

    [Fact]
    public async Task A_connection_dropped_mid_answer_keeps_the_sentences_said_and_ends_as_failed()
    {
        await using var server = await ScriptedChatServer.StartAsync();
        var (host, _) = await LlmHost.StartAsync(LlmHost.Settings(server.BaseUrl));
        await using var _ = host;
        var firstQueued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Reply(async r =>
        {
            await r.SendAsync("The first part is fine. And then");
            await firstQueued.Task;
            r.Abort();
        });
        var producer = await host.ConnectAsync(ProducerKey);
        var ended = LlmHost.CollectEnded(producer);
        var viewer = await host.ConnectAsync(ViewerKey);

        await viewer.InvokeAsync<Comment>("SendComment", "tell me about it");
        await CommentHost.TakeAsync(host.Rooms["main"].RequestsReceived, 1);
        firstQueued.SetResult();
        var end = await LlmHost.EndedAsync(ended);

        Assert.Equal("failed", end.Outcome);
        Assert.Contains("broke off", end.Reason);
        Assert.Single(end.LineIds);
        Assert.Equal("The first part is fine.", Assert.Single(host.Rooms["main"].Requests).Text);
    }

    [Fact]
    public async Task A_comment_with_a_confident_faq_match_is_answered_from_the_faq_and_only_the_others_go_to_the_model()
    {
        await using var server = await ScriptedChatServer.StartAsync();
        var settings = LlmHost.Settings(server.BaseUrl);
        settings["Rooms:main:AutoAnswer"] = "true";
        var (host, time) = await LlmHost.StartAsync(settings);
        await using var __ = host;
        var producer = await host.ConnectAsync(ProducerKey);
        await producer.InvokeAsync<FaqEntry>("SaveFaq", new FaqEntry(null, null, ["How much does it cost?"], "It is 29 dollars today.", "en"));
        var ended = LlmHost.CollectEnded(producer);
        var viewer = await host.ConnectAsync(ViewerKey);
        server.ReplyTokens(["I do not know yet; ", "the team will follow up."]);

        await viewer.InvokeAsync<Comment>("SendComment", "how much does it cost?");
        var line = Assert.Single(await CommentHost.TakeAsync(host.Rooms["main"].RequestsReceived, 1));
        time.Advance(TimeSpan.FromSeconds(3));
        await viewer.InvokeAsync<Comment>("SendComment", "is the lid dishwasher safe?");
        var end = await LlmHost.EndedAsync(ended);
        var asked = await server.NextRequestAsync();

        Assert.Equal("It is 29 dollars today.", line.Text);
        Assert.Equal("completed", end.Outcome);
        Assert.Contains("is the lid dishwasher safe?", asked.User);
        Assert.False(server.Requests.Reader.TryRead(out var _));
    }
}
