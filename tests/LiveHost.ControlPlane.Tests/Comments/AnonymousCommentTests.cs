using System.Net;
using LiveHost.ControlPlane.Comments;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR.Client;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Comments;

public sealed class AnonymousCommentTests
{
    private static readonly Dictionary<string, string?> Anonymous = new() { ["Comments:AllowAnonymous"] = "true" };

    [Fact]
    public async Task Without_AllowAnonymous_a_keyless_connection_is_refused_as_before()
    {
        var (host, _) = await CommentHost.StartAsync();
        await using var _ = host;

        var refusal = await Assert.ThrowsAsync<HttpRequestException>(() => host.ConnectAsync(null));

        Assert.Equal(HttpStatusCode.Unauthorized, refusal.StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_even_when_keyless_comments_are_allowed()
    {
        var (host, _) = await CommentHost.StartAsync(Anonymous);
        await using var _ = host;

        var refusal = await Assert.ThrowsAsync<HttpRequestException>(() => host.ConnectAsync("not-a-key-0123456789"));

        Assert.Equal(HttpStatusCode.Unauthorized, refusal.StatusCode);
    }

    [Fact]
    public async Task A_keyless_connection_may_comment_and_staff_receive_it_marked_anonymous()
    {
        var (host, _) = await CommentHost.StartAsync(Anonymous);
        await using var _ = host;
        var staff = await host.ConnectAsync(SellerKey);
        var received = CommentHost.Collect<Comment>(staff, "CommentPosted");
        var keyless = await host.ConnectAsync(null);

        var comment = await keyless.InvokeAsync<Comment>("SendComment", "how big is it?", "amy");

        var atStaff = Assert.Single(await CommentHost.TakeAsync(received, 1));
        Assert.Equal(comment, atStaff);
        Assert.True(atStaff.Anonymous);
        Assert.Equal("amy", atStaff.Nickname);
    }

    [Theory]
    [InlineData("GetState")]
    [InlineData("Unsubscribe")]
    [InlineData("EnqueueLine")]
    [InlineData("Skip")]
    [InlineData("ListFaq")]
    [InlineData("GetHeldLines")]
    public async Task Every_other_method_refuses_a_keyless_connection_naming_the_role_it_needs(string method)
    {
        var (host, _) = await CommentHost.StartAsync(Anonymous);
        await using var _ = host;
        var keyless = await host.ConnectAsync(null);

        var refusal = await CommentHost.RefusedAsync(() => method == "EnqueueLine"
            ? keyless.InvokeAsync<object>(method, new LiveHost.Engine.Lines.LineRequest(null, "hi"))
            : keyless.InvokeAsync<object>(method));

        Assert.Contains("role; no valid API key was presented", refusal.Message);
        Assert.Empty(host.Rooms["main"].Accepted);
    }

    [Fact]
    public async Task A_keyless_connection_may_subscribe_only_to_rooms_whose_comments_are_public_and_then_sees_them()
    {
        var (host, time) = await CommentHost.StartAsync(new() { ["Comments:AllowAnonymous"] = "true", ["Rooms:studio-b:Comments:Public"] = "true" });
        await using var _ = host;
        var keyless = await host.ConnectAsync(null);
        var seen = CommentHost.Collect<Comment>(keyless, "CommentPosted");

        var refusal = await CommentHost.RefusedAsync(() => keyless.InvokeAsync<RoomState>("Subscribe", "main"));
        var state = await keyless.InvokeAsync<RoomState>("Subscribe", "studio-b");
        var other = await host.ConnectAsync(ViewerKey);
        await other.InvokeAsync<Comment>("SendComment", "private to staff", null, "main");
        time.Advance(TimeSpan.FromSeconds(2));
        var posted = await other.InvokeAsync<Comment>("SendComment", "hello everyone", "bo", "studio-b");
        var history = await keyless.InvokeAsync<Comment[]>("GetComments", "studio-b");

        Assert.Contains("room 'main' does not show its comments publicly, so subscribing to it needs a viewer key", refusal.Message);
        Assert.Equal("studio-b", state.Room);
        Assert.Equal(posted, Assert.Single(await CommentHost.TakeAsync(seen, 1)));
        Assert.Equal([posted], history);
        var hidden = await CommentHost.RefusedAsync(() => keyless.InvokeAsync<Comment[]>("GetComments", "main"));
        Assert.Contains("room 'main' shows its comments to staff only: this needs the seller role", hidden.Message);
    }

    [Fact]
    public async Task A_flood_of_keyless_connections_from_one_address_is_refused_with_429_and_others_keep_working()
    {
        var (host, _) = await CommentHost.StartAsync(new() { ["Comments:AllowAnonymous"] = "true", ["Comments:MaxAnonymousConnectionsPerAddress"] = "5" });
        await using var _ = host;
        var open = new List<HubConnection>();
        for (var i = 0; i < 5; i++) open.Add(await host.ConnectAsync(null));

        var refusals = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Assert.ThrowsAsync<HttpRequestException>(() => host.ConnectAsync(null))));
        using var client = host.Client(null);
        var negotiate = await client.PostAsync("/hubs/control/negotiate?negotiateVersion=1", null);
        var body = await negotiate.Content.ReadAsStringAsync();

        Assert.All(refusals, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, negotiate.StatusCode);
        Assert.Contains("5 connections without a key are already open from your address (the limit is 5)", body);
        Assert.Contains("\"code\":\"rateLimited\"", body);
        // The open keyless connections and keyed ones are untouched.
        var viewer = await host.ConnectAsync(ViewerKey);
        Assert.Equal(1, (await open[4].InvokeAsync<Comment>("SendComment", "still here")).Seq);
        Assert.Equal("main", (await viewer.InvokeAsync<RoomState>("GetState")).Room);
        // Closing one makes room for one more.
        await open[0].StopAsync();
        await using var again = await ConnectWhenFreedAsync(host);
        Assert.Equal(2, (await again.InvokeAsync<Comment>("SendComment", "my turn")).Seq);
    }

    // StopAsync returns once the client closed; the server counts the connection out when it sees the close.
    // A refusal before that is the limit still holding the old one: the client tries again, bounded.
    private static async Task<HubConnection> ConnectWhenFreedAsync(ControlPlaneTestHost host)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await host.ConnectAsync(null);
            }
            catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.TooManyRequests && attempt < 50)
            {
                await Task.Yield();
            }
        }
    }
}
