using LiveHost.ControlPlane.Comments;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Comments;

public sealed class CommentLimitTests
{
    [Fact]
    public async Task Two_hundred_viewers_past_the_limits_get_clear_refusals_and_staff_receive_every_accepted_comment_in_order()
    {
        // Every viewer connects from 127.0.0.1, so the per-address limit is lifted here (tested on its own below); the
        // per-connection interval and the room cap (300 a minute) are what 200 viewers run into.
        var (host, time) = await CommentHost.StartAsync(new()
        {
            ["Comments:PerAddressPerMinute"] = "100000",
            ["Comments:RoomPerMinute"] = "300",
            ["Comments:KeepLast"] = "50",
        });
        await using var _ = host;
        var staff = await host.ConnectAsync(ProducerKey);
        var received = CommentHost.Collect<Comment>(staff, "CommentPosted");
        var viewers = new HubConnection[200];
        for (var batch = 0; batch < viewers.Length; batch += 20)
        {
            await Task.WhenAll(Enumerable.Range(batch, 20).Select(async i => viewers[i] = await host.ConnectAsync(ViewerKey)));
        }

        // Round 1: each viewer comments twice at once; the second is within 2 s of the first.
        var round1 = await Task.WhenAll(viewers.Select((v, i) => Outcome(v.InvokeAsync<Comment>("SendComment", $"first from {i}", $"v{i}"))));
        var round1b = await Task.WhenAll(viewers.Select((v, i) => Outcome(v.InvokeAsync<Comment>("SendComment", $"again from {i}", $"v{i}"))));
        // Round 2, 2.5 s later: every viewer may comment again, but the room takes only 300 a minute.
        time.Advance(TimeSpan.FromSeconds(2.5));
        var round2 = await Task.WhenAll(viewers.Select((v, i) => Outcome(v.InvokeAsync<Comment>("SendComment", $"second from {i}", $"v{i}"))));

        Assert.All(round1, o => Assert.NotNull(o.Comment));
        Assert.All(round1b, o => Assert.Contains("too many comments: one comment per 2 s per connection: try again in 2 s", o.Refusal));
        Assert.Equal(100, round2.Count(o => o.Comment is not null));
        Assert.All(round2.Where(o => o.Comment is null), o => Assert.Contains("room 'main' takes 300 comments per minute and is at its limit", o.Refusal));

        var accepted = round1.Concat(round2).Where(o => o.Comment is not null).Select(o => o.Comment!).OrderBy(c => c.Seq).ToArray();
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), accepted.Select(c => c.Seq));
        var atStaff = await CommentHost.TakeAsync(received, 300);
        Assert.Equal(accepted.Select(c => c.Id), atStaff.Select(c => c.Id));
        Assert.Equal(accepted.Select(c => c.Text), atStaff.Select(c => c.Text));

        // Memory stays bounded: 50 comments kept, one limiter entry per live connection, none once they leave.
        var kept = await staff.InvokeAsync<Comment[]>("GetComments");
        Assert.Equal(accepted.TakeLast(50).Select(c => c.Id), kept.Select(c => c.Id));
        var service = host.Services.GetRequiredService<CommentService>();
        Assert.Equal((200, 1), service.Tracked);
    }

    [Fact]
    public async Task The_twenty_first_comment_in_a_minute_from_one_address_is_refused_until_the_minute_has_passed()
    {
        var (host, time) = await CommentHost.StartAsync();
        await using var _ = host;
        var viewers = await Task.WhenAll(Enumerable.Range(0, 21).Select(_ => host.ConnectAsync(ViewerKey)));

        for (var i = 0; i < 20; i++) await viewers[i].InvokeAsync<Comment>("SendComment", $"hello {i}");
        var refusal = await CommentHost.RefusedAsync(() => viewers[20].InvokeAsync<Comment>("SendComment", "one too many"));
        time.Advance(TimeSpan.FromSeconds(59));
        var still = await CommentHost.RefusedAsync(() => viewers[20].InvokeAsync<Comment>("SendComment", "one too many"));
        time.Advance(TimeSpan.FromSeconds(1));
        var accepted = await viewers[20].InvokeAsync<Comment>("SendComment", "now it fits");

        Assert.Contains("too many comments: 20 comments per minute from one address: try again in 60 s", refusal.Message);
        Assert.Contains("try again in 1 s", still.Message);
        Assert.Equal(21, accepted.Seq);
    }

    [Fact]
    public async Task A_refused_comment_does_not_use_up_the_connections_interval()
    {
        var (host, _) = await CommentHost.StartAsync();
        await using var __ = host;
        var viewer = await host.ConnectAsync(ViewerKey);

        await CommentHost.RefusedAsync(() => viewer.InvokeAsync<Comment>("SendComment", "see www.example.com"));
        var accepted = await viewer.InvokeAsync<Comment>("SendComment", "a fair question");

        Assert.Equal(1, accepted.Seq);
    }

    private static async Task<(Comment? Comment, string? Refusal)> Outcome(Task<Comment> call)
    {
        try
        {
            return (await call, null);
        }
        catch (HubException refusal)
        {
            return (null, refusal.Message);
        }
    }
}
