using System.Net;
using System.Net.Sockets;
using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Tests.Comments;
using LiveHost.Engine.Lines;
using Microsoft.AspNetCore.SignalR.Client;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Llm;

/// <summary>A chat server that is down, silent or failing leaves the comment to staff and stalls nothing.</summary>
public sealed class LlmFailureTests
{
    [Fact]
    public async Task With_the_server_down_the_comment_is_posted_the_answer_ends_failed_and_the_room_takes_lines_as_before()
    {
        var settings = LlmHost.Settings($"http://127.0.0.1:{ClosedPort()}/v1");
        var (host, _) = await LlmHost.StartAsync(settings);
        await using var _ = host;
        var producer = await host.ConnectAsync(ProducerKey);
        var ended = LlmHost.CollectEnded(producer);
        var posted = CommentHost.Collect<Comment>(producer, "CommentPosted");
        var viewer = await host.ConnectAsync(ViewerKey);

        var comment = await viewer.InvokeAsync<Comment>("SendComment", "do you ship abroad?");
        var end = await LlmHost.EndedAsync(ended);
        await producer.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, "We ship to the EU."));

        Assert.Equal(comment, Assert.Single(await CommentHost.TakeAsync(posted, 1)));
        Assert.Equal("failed", end.Outcome);
        Assert.Contains("did not answer", end.Reason);
        Assert.Contains("left for staff", end.Reason);
        Assert.Empty(end.LineIds);
        Assert.Equal("We ship to the EU.", Assert.Single(host.Rooms["main"].Requests).Text);
    }

    [Fact]
    public async Task A_server_that_sends_no_first_token_in_time_is_asked_once_more_then_the_answer_fails()
    {
        await using var server = await ScriptedChatServer.StartAsync();
        var (host, time) = await LlmHost.StartAsync(LlmHost.Settings(server.BaseUrl));
        await using var _ = host;
        for (var i = 0; i < 2; i++)
        {
            server.Reply(async r =>
            {
                await r.StartAsync();
                await Task.Delay(Timeout.Infinite, r.Context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            });
        }
        var producer = await host.ConnectAsync(ProducerKey);
        var ended = LlmHost.CollectEnded(producer);
        var viewer = await host.ConnectAsync(ViewerKey);

        await viewer.InvokeAsync<Comment>("SendComment", "anyone there?");
        await server.NextRequestAsync();
        time.Advance(TimeSpan.FromSeconds(10)); // Llm:FirstTokenTimeout
        await server.NextRequestAsync();
        time.Advance(TimeSpan.FromSeconds(10));
        var end = await LlmHost.EndedAsync(ended);

        Assert.Equal("failed", end.Outcome);
        Assert.Contains("timed out", end.Reason);
        Assert.False(server.Requests.Reader.TryRead(out var _));
    }

    [Fact]
    public async Task After_the_failures_that_open_the_breaker_the_next_comment_is_not_sent_to_the_server_until_it_closes()
    {
        await using var server = await ScriptedChatServer.StartAsync();
        var settings = LlmHost.Settings(server.BaseUrl);
        settings["Llm:BreakAfterFailures"] = "1";
        var (host, time) = await LlmHost.StartAsync(settings);
        await using var _ = host;
        var producer = await host.ConnectAsync(ProducerKey);
        var ended = LlmHost.CollectEnded(producer);
        var viewer = await host.ConnectAsync(ViewerKey);

        await viewer.InvokeAsync<Comment>("SendComment", "first question?"); // no reply scripted: 500, retried once, 500
        var failed = await LlmHost.EndedAsync(ended);
        var attempts = new[] { await server.NextRequestAsync(), await server.NextRequestAsync() };
        time.Advance(TimeSpan.FromSeconds(3));
        await viewer.InvokeAsync<Comment>("SendComment", "second question?");
        var refused = await LlmHost.EndedAsync(ended);
        var askedMeanwhile = server.Requests.Reader.TryRead(out var _);
        time.Advance(TimeSpan.FromSeconds(30)); // Llm:BreakFor
        server.ReplyTokens(["Back again."]);
        await viewer.InvokeAsync<Comment>("SendComment", "third question?");
        var recovered = await LlmHost.EndedAsync(ended);

        Assert.Equal("failed", failed.Outcome);
        Assert.Contains("status 500", failed.Reason);
        Assert.All(attempts, a => Assert.Contains("first question?", a.User));
        Assert.Equal("failed", refused.Outcome);
        Assert.Contains("not asked again before", refused.Reason);
        Assert.False(askedMeanwhile);
        Assert.Equal("completed", recovered.Outcome);
        Assert.Contains("third question?", (await server.NextRequestAsync()).User);
    }

    [Fact]
    public async Task The_api_key_reaches_the_server_but_never_the_logs()
    {
        await using var server = await ScriptedChatServer.StartAsync();
        var (host, _) = await LlmHost.StartAsync(LlmHost.Settings(server.BaseUrl));
        await using var _ = host;
        server.Reply(r =>
        {
            r.Context.Response.StatusCode = 401;
            return Task.CompletedTask;
        });
        server.ReplyTokens(["Fine, thank you."]);
        var producer = await host.ConnectAsync(ProducerKey);
        var ended = LlmHost.CollectEnded(producer);
        var viewer = await host.ConnectAsync(ViewerKey);

        await viewer.InvokeAsync<Comment>("SendComment", "how are you today?");
        var end = await LlmHost.EndedAsync(ended);
        var requests = new[] { await server.NextRequestAsync(), await server.NextRequestAsync() };

        Assert.Equal("completed", end.Outcome);
        Assert.All(requests, r => Assert.Equal("Bearer " + LlmHost.ApiKey, r.Authorization));
        var logs = host.Logs.Entries;
        Assert.Contains(logs, e => e.Message.Contains("attempt 1 failed: status 401", StringComparison.Ordinal));
        Assert.Contains(logs, e => e.Message.Contains("ended completed", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, e => e.Message.Contains(LlmHost.ApiKey, StringComparison.Ordinal)
            || e.Exception?.ToString().Contains(LlmHost.ApiKey, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Past_the_per_minute_cap_a_comment_is_left_for_staff_without_asking_the_server()
    {
        await using var server = await ScriptedChatServer.StartAsync();
        var settings = LlmHost.Settings(server.BaseUrl);
        settings["Llm:AnswersPerMinute"] = "1";
        var (host, time) = await LlmHost.StartAsync(settings);
        await using var _ = host;
        server.ReplyTokens(["One answer."]);
        var producer = await host.ConnectAsync(ProducerKey);
        var ended = LlmHost.CollectEnded(producer);
        var viewer = await host.ConnectAsync(ViewerKey);

        await viewer.InvokeAsync<Comment>("SendComment", "question one?");
        var first = await LlmHost.EndedAsync(ended);
        time.Advance(TimeSpan.FromSeconds(3));
        await viewer.InvokeAsync<Comment>("SendComment", "question two?");
        var second = await LlmHost.EndedAsync(ended);

        Assert.Equal("completed", first.Outcome);
        Assert.Equal("capped", second.Outcome);
        Assert.Contains("left for staff", second.Reason);
        Assert.Contains("question one?", (await server.NextRequestAsync()).User);
        Assert.False(server.Requests.Reader.TryRead(out var _));
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
