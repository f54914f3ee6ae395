using Microsoft.AspNetCore.SignalR.Client;
using System.Net;
using System.Net.Http.Json;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Rooms;
using Microsoft.Extensions.DependencyInjection;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Comments;

/// <summary>The review list over the hub and REST, on the engine's real room (RoomController, queue, SQLite).</summary>
public sealed class ReviewFlowTests : IAsyncLifetime
{
    private readonly string _terms = Path.Combine(Path.GetTempPath(), $"livehost-review-{Guid.NewGuid():N}.db");
    private EngineRoom _room = null!;
    private ModerationPolicy _policy = null!;
    private ControlPlaneTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _policy = new ModerationPolicy(new SqliteModerationTermStore(_terms), new Dictionary<string, ModerationMode> { ["main"] = ModerationMode.Review });
        _room = new EngineRoom(policy: _policy);
        (_host, _) = await CommentHost.StartAsync(services: s =>
        {
            s.AddSingleton<IRoomRegistry>(_room.Registry);
            s.AddSingleton(_policy);
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _room.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_terms);
    }

    [Fact]
    public async Task A_held_line_is_listed_for_producers_and_approved_with_an_edit_over_the_hub_it_is_queued_under_its_id()
    {
        var seller = await _host.ConnectAsync(SellerKey);
        var producer = await _host.ConnectAsync(ProducerKey);

        var ticket = await seller.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, "这是全网最佳的面霜", "en"));
        var held = await producer.InvokeAsync<HeldLine[]>("GetHeldLines");
        var forbidden = await CommentHost.RefusedAsync(() => seller.InvokeAsync<HeldLine[]>("GetHeldLines"));
        var stillBlocked = await CommentHost.RefusedAsync(() => producer.InvokeAsync<LineTicket>("ApproveLine", ticket.Id, "这是最佳的面霜"));
        var approved = await producer.InvokeAsync<LineTicket>("ApproveLine", ticket.Id, "这是很受欢迎的面霜");

        Assert.Equal(-1, ticket.Position);
        var one = Assert.Single(held);
        Assert.Equal(ticket.Id, one.Line.Id);
        Assert.Equal("最佳", one.Term.Term);
        Assert.Equal(5, one.Term.Position);
        Assert.Contains("this needs the producer role; your key has seller", forbidden.Message);
        Assert.Contains("the edited line still contains the blocked term '最佳' (zh list) at character 3 of the text", stillBlocked.Message);
        Assert.Equal(ticket.Id, approved.Id);
        // The approval answers once the line is in the queue (and on disk).
        var line = Assert.Single(_room.Queue.Snapshot());
        Assert.Equal((ticket.Id, "这是很受欢迎的面霜"), (line.Id, line.Text));
        Assert.Empty(await producer.InvokeAsync<HeldLine[]>("GetHeldLines"));
    }

    [Fact]
    public async Task Over_REST_a_producer_lists_rejects_and_approves_and_a_second_decision_on_the_same_line_is_404()
    {
        var seller = _host.Client(SellerKey);
        var producer = _host.Client(ProducerKey);
        var a = await (await seller.PostAsJsonAsync("/api/rooms/main/lines", new { text = "It is a guaranteed cure" })).Content.ReadFromJsonAsync<LineTicket>();
        var b = await (await seller.PostAsJsonAsync("/api/rooms/main/lines", new { text = "No side effects, ever" })).Content.ReadFromJsonAsync<LineTicket>();

        var list = await producer.GetFromJsonAsync<Held>("/api/rooms/main/review");
        var rejected = await producer.PostAsync($"/api/rooms/main/review/{a!.Id}/reject", null);
        var approved = await producer.PostAsync($"/api/rooms/main/review/{b!.Id}/approve", null);
        var twice = await producer.PostAsync($"/api/rooms/main/review/{a.Id}/approve", null);
        var sellerTries = await seller.PostAsync($"/api/rooms/main/review/{b.Id}/reject", null);

        Assert.Equal([a.Id, b.Id], list!.Lines.Select(l => l.Line.Id));
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, approved.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
        Assert.Contains("holds no line", await twice.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, sellerTries.StatusCode);
        Assert.Equal([b.Id], _room.Queue.Snapshot().Select(l => l.Id));
        Assert.Equal([b.Id], _room.Store.LoadUnfinished("main").Select(l => l.Id));
    }

    [Fact]
    public async Task Admins_edit_the_term_lists_over_REST_and_the_next_line_is_judged_by_them()
    {
        var admin = _host.Client(AdminKey);
        var seller = _host.Client(SellerKey);

        var bad = await admin.PutAsJsonAsync("/api/moderation/terms/en", new { blocked = new[] { "ok", new string('x', 65) } });
        var put = await admin.PutAsJsonAsync("/api/moderation/terms/en", new { blocked = new[] { "magic beans" }, allowed = Array.Empty<string>() });
        var forbidden = await seller.GetAsync("/api/moderation/terms");
        var line = await (await seller.PostAsJsonAsync("/api/rooms/main/lines", new { text = "Buy these Magic  Beans" })).Content.ReadFromJsonAsync<LineTicket>();
        var fine = await (await seller.PostAsJsonAsync("/api/rooms/main/lines", new { text = "It is a guaranteed cure" })).Content.ReadFromJsonAsync<LineTicket>();

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("blocked[1] is 65 characters long; the limit is 64", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(-1, line!.Position);
        Assert.Equal(0, fine!.Position);
    }

    private sealed record Held(HeldLine[] Lines);
}
