using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.ControlPlane.Tests.Comments;
using Microsoft.AspNetCore.SignalR.Client;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Llm;

/// <summary><c>Rooms:{room}:Llm:Ask</c>: which comments the room's model answers (issue 18, point 2).</summary>
public sealed class LlmAskTests
{
    [Fact]
    public async Task A_room_that_always_asks_the_model_sends_it_a_comment_the_faq_matches_and_does_not_also_auto_answer_it()
    {
        await using var server = await ScriptedChatServer.StartAsync();
        var settings = LlmHost.Settings(server.BaseUrl);
        settings["Rooms:main:AutoAnswer"] = "true";
        settings["Rooms:main:Llm:Ask"] = "always";
        var (host, _) = await LlmHost.StartAsync(settings);
        await using var __ = host;
        var producer = await host.ConnectAsync(ProducerKey);
        await producer.InvokeAsync<FaqEntry>("SaveFaq", new FaqEntry(null, null, ["How much does it cost?"], "It is 29 dollars today.", "en"));
        var suggested = CommentHost.Collect<AnswerSuggestion>(producer, ControlHubEvents.AnswerSuggested);
        var ended = LlmHost.CollectEnded(producer);
        var viewer = await host.ConnectAsync(ViewerKey);
        server.ReplyTokens(["It is 29 dollars today, ", "and it ships tomorrow."]);

        var comment = await viewer.InvokeAsync<Comment>("SendComment", "how much does it cost?");
        var asked = await server.NextRequestAsync();
        var end = await LlmHost.EndedAsync(ended);
        var suggestion = Assert.Single(await CommentHost.TakeAsync(suggested, 1));

        Assert.Equal("Viewer viewer asks: how much does it cost?", asked.User);
        Assert.Contains("FAQ: Q: How much does it cost? A: It is 29 dollars today.", asked.System);
        Assert.True(suggestion.Score >= 0.5, $"the FAQ entry matched confidently (score {suggestion.Score})");
        Assert.Equal("completed", end.Outcome);
        Assert.Equal(comment.Id, end.CommentId);
        // The FAQ answer would have been queued before the model was asked: the room got the model's sentence only.
        Assert.Equal(["It is 29 dollars today, and it ships tomorrow."], host.Rooms["main"].Requests.Select(r => r.Text));
        Assert.All(host.Rooms["main"].Requests, r => Assert.Equal("llm:" + comment.Id, r.Tag));
    }
}
