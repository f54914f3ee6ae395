using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests;

/// <summary>
/// Queue editing over REST and the hub, through real Kestrel into the engine's real room (not ticking unless a test
/// ticks it): what each call answers, what it refuses and to whom, and the QueueChanged every console receives.
/// </summary>
public sealed class QueueEditingEndpointTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly EngineRoom _room = new();
    private ControlPlaneTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StartAsync(services: s => s.AddSingleton<IRoomRegistry>(_room.Registry));
        _room.Events.Target = _host.Sink;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _room.DisposeAsync();
    }

    private async Task<string[]> EnqueueAsync(params string[] texts)
    {
        var ids = new List<string>();
        foreach (var text in texts) ids.Add((await _room.Controller.EnqueueAsync(new LineRequest(null, text))).Id);
        return ids.ToArray();
    }

    private string[] Waiting() => _room.Controller.GetState().Queue.Select(l => l.Id).ToArray();

    private static async Task<(HttpStatusCode Status, string? Code, string Detail)> ProblemAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        return (response.StatusCode, root.TryGetProperty("code", out var code) ? code.GetString() : null,
            root.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "");
    }

    [Fact]
    public async Task Rest_insert_move_and_remove_edit_the_queue_and_answer_with_what_the_room_holds()
    {
        var ids = await EnqueueAsync("a", "b", "c");
        var producer = _host.Client(ProducerKey);

        var insert = await producer.PostAsJsonAsync("/api/rooms/main/queue", new { text = "flash sale", position = 1 });
        Assert.Equal(HttpStatusCode.Accepted, insert.StatusCode);
        var ticket = (await insert.Content.ReadFromJsonAsync<LineTicket>())!;
        Assert.Equal([ids[0], ticket.Id, ids[1], ids[2]], Waiting());

        var move = await producer.PutAsJsonAsync($"/api/rooms/main/queue/{ids[2]}", new { position = 0 });
        Assert.Equal(HttpStatusCode.OK, move.StatusCode);
        Assert.Equal([ids[2], ids[0], ticket.Id, ids[1]], (await move.Content.ReadFromJsonAsync<RoomState>())!.Queue.Select(l => l.Id));

        var remove = await producer.DeleteAsync($"/api/rooms/main/queue/{ids[0]}");
        Assert.Equal(HttpStatusCode.OK, remove.StatusCode);
        Assert.Equal([ids[2], ticket.Id, ids[1]], (await remove.Content.ReadFromJsonAsync<RoomState>())!.Queue.Select(l => l.Id));
        Assert.Equal([ids[2], ticket.Id, ids[1]], _room.Store.LoadUnfinished("main").Select(l => l.Id));
    }

    [Fact]
    public async Task Rest_bad_queue_edits_get_a_clear_error_and_change_nothing()
    {
        var speaking = await _room.Controller.EnqueueAudioAsync(new AudioLineRequest(null, Enumerable.Repeat((short)1000, 5 * 48_000).ToArray()));
        var ids = await EnqueueAsync("a", "b");
        _room.Ticks(2);
        Assert.Equal(speaking.Id, _room.Controller.GetState().Current?.Id);
        var producer = _host.Client(ProducerKey);

        var insertOutOfRange = await ProblemAsync(await producer.PostAsJsonAsync("/api/rooms/main/queue", new { text = "x", position = 3 }));
        var insertWithoutPosition = await ProblemAsync(await producer.PostAsJsonAsync("/api/rooms/main/queue", new { text = "x" }));
        var moveOutOfRange = await ProblemAsync(await producer.PutAsJsonAsync($"/api/rooms/main/queue/{ids[0]}", new { position = 2 }));
        var moveSpeaking = await ProblemAsync(await producer.PutAsJsonAsync($"/api/rooms/main/queue/{speaking.Id}", new { position = 0 }));
        var moveUnknown = await ProblemAsync(await producer.PutAsJsonAsync("/api/rooms/main/queue/nope", new { position = 0 }));
        var removeUnknown = await ProblemAsync(await producer.DeleteAsync("/api/rooms/main/queue/nope"));
        var pastSchedule = await ProblemAsync(await producer.PostAsJsonAsync("/api/rooms/main/lines",
            new { text = "too late", at = DateTimeOffset.UtcNow.AddMinutes(-1) }));

        Assert.Equal((HttpStatusCode.BadRequest, "invalidInput"), (insertOutOfRange.Status, insertOutOfRange.Code));
        Assert.Contains("use 0 (next) to 2 (last)", insertOutOfRange.Detail, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "invalidInput"), (insertWithoutPosition.Status, insertWithoutPosition.Code));
        Assert.Contains("position is required", insertWithoutPosition.Detail, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "invalidInput"), (moveOutOfRange.Status, moveOutOfRange.Code));
        Assert.Contains("use 0 (next) to 1 (last)", moveOutOfRange.Detail, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Conflict, "lineNotQueued"), (moveSpeaking.Status, moveSpeaking.Code));
        Assert.Equal((HttpStatusCode.NotFound, "unknownLine"), (moveUnknown.Status, moveUnknown.Code));
        Assert.Equal((HttpStatusCode.NotFound, "unknownLine"), (removeUnknown.Status, removeUnknown.Code));
        Assert.Equal((HttpStatusCode.BadRequest, "invalidInput"), (pastSchedule.Status, pastSchedule.Code));
        Assert.Contains("in the past", pastSchedule.Detail, StringComparison.Ordinal);

        Assert.Equal(ids, Waiting());
        Assert.Equal(speaking.Id, _room.Controller.GetState().Current?.Id);
        Assert.Empty(_room.Controller.GetState().Scheduled);
        Assert.Equal([speaking.Id, .. ids], _room.Store.LoadUnfinished("main").Select(l => l.Id));
    }

    [Fact]
    public async Task A_seller_may_queue_but_not_edit_the_queue_nor_set_interruptible_false_or_at_and_is_told_the_role()
    {
        var ids = await EnqueueAsync("a");
        var seller = _host.Client(SellerKey);

        var insert = await ProblemAsync(await seller.PostAsJsonAsync("/api/rooms/main/queue", new { text = "x", position = 0 }));
        var move = await ProblemAsync(await seller.PutAsJsonAsync($"/api/rooms/main/queue/{ids[0]}", new { position = 0 }));
        var remove = await ProblemAsync(await seller.DeleteAsync($"/api/rooms/main/queue/{ids[0]}"));
        var held = await ProblemAsync(await seller.PostAsJsonAsync("/api/rooms/main/lines", new { text = "x", interruptible = false }));
        var scheduled = await ProblemAsync(await seller.PostAsJsonAsync("/api/rooms/main/lines", new { text = "x", at = DateTimeOffset.UtcNow.AddHours(1) }));
        var plain = await seller.PostAsJsonAsync("/api/rooms/main/lines", new { text = "plain", interruptible = true });

        foreach (var refused in new[] { insert, move, remove, held, scheduled })
        {
            Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (refused.Status, refused.Code));
            Assert.Contains("producer", refused.Detail, StringComparison.Ordinal);
        }
        Assert.Contains("interruptible: false needs the producer role; your key has seller", held.Detail, StringComparison.Ordinal);
        Assert.Contains("at (a scheduled line) needs the producer role", scheduled.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, plain.StatusCode);
        Assert.Equal(2, Waiting().Length);
        Assert.Empty(_room.Controller.GetState().Scheduled);
    }

    [Fact]
    public async Task A_producer_sets_interruptible_false_and_at_and_the_room_shows_them()
    {
        var producer = _host.Client(ProducerKey);
        var at = DateTimeOffset.UtcNow.AddHours(1);

        var held = await producer.PostAsJsonAsync("/api/rooms/main/lines", new { text = "legal notice", interruptible = false, product = "sku-1" });
        var scheduled = await producer.PostAsJsonAsync("/api/rooms/main/lines", new { text = "at the hour", at });

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (held.StatusCode, scheduled.StatusCode));
        var state = (await producer.GetFromJsonAsync<RoomState>("/api/rooms/main"))!;
        var line = Assert.Single(state.Queue);
        Assert.Equal((false, "sku-1", "live"), (line.Interruptible, line.Product, line.Source));
        var waiting = Assert.Single(state.Scheduled);
        Assert.Equal(at.ToUnixTimeMilliseconds(), waiting.At!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Hub_queue_edits_reach_another_console_as_QueueChanged_in_order_and_a_removal_as_LineFinished_removed()
    {
        var ids = await EnqueueAsync("a", "b");
        var watcher = await _host.ConnectAsync(ViewerKey);
        var seen = Channel.CreateUnbounded<string>();
        watcher.On<QueueChange>("QueueChanged", q => seen.Writer.TryWrite($"queue:{string.Join(",", q.LineIds)}"));
        watcher.On<Line>("LineFinished", l => seen.Writer.TryWrite($"finished:{l.Id}:{l.Reason}"));
        var producer = await _host.ConnectAsync(ProducerKey);

        var inserted = await producer.InvokeAsync<LineTicket>("InsertLine", new LineRequest(null, "inserted"), 0);
        var moved = await producer.InvokeAsync<RoomState>("MoveLine", ids[0], 2, "main");
        var removed = await producer.InvokeAsync<RoomState>("RemoveLine", ids[1]);

        Assert.Equal([inserted.Id, ids[1], ids[0]], moved.Queue.Select(l => l.Id));
        Assert.Equal([inserted.Id, ids[0]], removed.Queue.Select(l => l.Id));
        using var timeout = new CancellationTokenSource(Patience);
        var got = new List<string>();
        while (got.LastOrDefault()?.StartsWith("finished:", StringComparison.Ordinal) != true) got.Add(await seen.Reader.ReadAsync(timeout.Token));
        // The two lines queued before this console connected may or may not reach it; every change after it did, in order.
        got.RemoveAll(e => e.StartsWith("queue:", StringComparison.Ordinal) && !e.Contains(inserted.Id, StringComparison.Ordinal));
        Assert.Equal(
            [$"queue:{inserted.Id},{ids[0]},{ids[1]}", $"queue:{inserted.Id},{ids[1]},{ids[0]}", $"queue:{inserted.Id},{ids[0]}", $"finished:{ids[1]}:Removed"],
            got);
    }

    [Fact]
    public async Task Hub_queue_edits_are_refused_to_a_seller_and_bad_ones_to_a_producer_with_the_reason()
    {
        var ids = await EnqueueAsync("a");
        var seller = await _host.ConnectAsync(SellerKey);
        var producer = await _host.ConnectAsync(ProducerKey);

        var sellerInsert = await Assert.ThrowsAsync<HubException>(() => seller.InvokeAsync<LineTicket>("InsertLine", new LineRequest(null, "x"), 0));
        var sellerHeld = await Assert.ThrowsAsync<HubException>(() =>
            seller.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, "x", Interruptible: false)));
        var outOfRange = await Assert.ThrowsAsync<HubException>(() => producer.InvokeAsync<RoomState>("MoveLine", ids[0], 5));
        var unknown = await Assert.ThrowsAsync<HubException>(() => producer.InvokeAsync<RoomState>("RemoveLine", "nope"));

        Assert.Contains("needs the producer role; your key has seller", sellerInsert.Message, StringComparison.Ordinal);
        Assert.Contains("interruptible: false needs the producer role", sellerHeld.Message, StringComparison.Ordinal);
        Assert.Contains("use 0 (next) to 0 (last)", outOfRange.Message, StringComparison.Ordinal);
        Assert.Contains("has no line 'nope'", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(ids, Waiting());
    }
}
