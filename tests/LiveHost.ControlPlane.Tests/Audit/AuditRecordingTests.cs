using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests;

/// <summary>The hub filter and the REST middleware on a real server, writing to a real SQLite file.</summary>
public sealed class AuditRecordingTests : IAsyncLifetime
{
    private readonly AuditDatabase _database = new();
    private ControlPlaneTestHost _host = null!;

    public async Task InitializeAsync() => _host = await StartAsync(services: _database.Register);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _database.Dispose();
    }

    private IReadOnlyList<AuditEntry> Entries() => _database.OpenLog().Read(null, 0, 1000).Entries;

    [Fact]
    public async Task A_hub_command_is_in_the_log_with_key_role_room_and_arguments_when_its_call_returns()
    {
        var producer = await _host.ConnectAsync(ProducerKey);

        var ticket = await producer.InvokeAsync<LiveHost.Engine.Lines.LineTicket>("EnqueueLine", new { text = "flash sale", room = "studio-b" });
        await producer.InvokeAsync("Pause", "main");

        var entries = Entries();
        Assert.Equal(["EnqueueLine", "Pause"], entries.Select(e => e.Command));
        Assert.All(entries, e => Assert.Equal("test producer", e.KeyName));
        Assert.All(entries, e => Assert.Equal("producer", e.Role));
        Assert.All(entries, e => Assert.Equal("ok", e.Result));
        Assert.Equal(["studio-b", "main"], entries.Select(e => e.Room));
        using var arguments = JsonDocument.Parse(entries[0].Arguments);
        Assert.Equal("flash sale", arguments.RootElement.GetProperty("request").GetProperty("text").GetString());
        Assert.Equal("studio-b", ticket.Room);
        Assert.Equal("{\"room\":\"main\"}", entries[1].Arguments);
    }

    [Fact]
    public async Task A_hub_call_refused_is_recorded_with_its_code_and_read_only_calls_are_not_recorded()
    {
        var viewer = await _host.ConnectAsync(ViewerKey);
        var seller = await _host.ConnectAsync(SellerKey);

        await viewer.InvokeAsync<LiveHost.Engine.Rooms.RoomState>("GetState", "main");
        await viewer.InvokeAsync<LiveHost.Engine.Rooms.RoomState>("Subscribe", "studio-b");
        await Assert.ThrowsAsync<HubException>(() => viewer.InvokeAsync("Skip", "main"));
        await Assert.ThrowsAsync<HubException>(() => seller.InvokeAsync<LiveHost.Engine.Lines.LineTicket>("EnqueueLine", new { text = "hi", room = "nowhere" }));
        await Assert.ThrowsAsync<HubException>(() => seller.InvokeAsync<LiveHost.Engine.Lines.LineTicket>("EnqueueLine", new { text = "  " }));

        var entries = Entries();
        Assert.Equal(["Skip refused: forbidden test viewer main", "EnqueueLine refused: unknownRoom test seller nowhere", "EnqueueLine refused: textEmpty test seller main"],
            entries.Select(e => $"{e.Command} {e.Result} {e.KeyName} {e.Room}"));
        Assert.Empty(_host.Rooms["main"].Accepted);
    }

    [Fact]
    public async Task A_rest_command_is_in_the_log_when_its_answer_arrives_with_the_body_it_sent()
    {
        var response = await _host.Client(SellerKey).PostAsJsonAsync("/api/rooms/main/lines", new { text = "hello there", tag = "promo" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var entry = Assert.Single(Entries());
        Assert.Equal("POST /api/rooms/{room}/lines", entry.Command);
        Assert.Equal("main", entry.Room);
        Assert.Equal(("test seller", "seller", "ok"), (entry.KeyName, entry.Role, entry.Result));
        Assert.Equal("{\"body\":{\"tag\":\"promo\",\"text\":\"hello there\"},\"bodyBytes\":36,\"path\":\"/api/rooms/main/lines\"}", entry.Arguments);
    }

    [Fact]
    public async Task Rest_refusals_are_recorded_with_their_code_and_calls_without_a_valid_key_or_reads_are_not()
    {
        var forbidden = await _host.Client(SellerKey).PostAsync("/api/rooms/main/skip", null);
        var unknown = await _host.Client(ProducerKey).PostAsync("/api/rooms/nowhere/pause", null);
        var empty = await _host.Client(ProducerKey).PostAsJsonAsync("/api/rooms/main/cue", new { text = "" });
        var noKey = await _host.Client(null).PostAsync("/api/rooms/main/skip", null);
        var wrongKey = await _host.Client("not-a-key-0123456789abcdef").PostAsync("/api/rooms/main/skip", null);
        await _host.Client(ViewerKey).GetStringAsync("/api/rooms/main");

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized],
            new[] { forbidden, unknown, empty, noKey, wrongKey }.Select(r => r.StatusCode));
        Assert.Equal(["POST /api/rooms/{room}/skip refused: forbidden main", "POST /api/rooms/{room}/pause refused: unknownRoom nowhere",
                "POST /api/rooms/{room}/cue refused: textEmpty main"],
            Entries().Select(e => $"{e.Command} {e.Result} {e.Room}"));
    }

    [Fact]
    public async Task An_output_url_is_recorded_without_its_stream_key()
    {
        var admin = _host.Client(AdminKey);

        var added = await admin.PostAsJsonAsync("/api/rooms/main/outputs", new { url = "rtmp://ingest.example.com/live/SECRETSTREAMKEY" });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var entry = Assert.Single(Entries());
        Assert.DoesNotContain("SECRETSTREAMKEY", entry.Arguments, StringComparison.Ordinal);
        Assert.Contains("rtmp://ingest.example.com/live/****", entry.Arguments, StringComparison.Ordinal);
        Assert.Equal("admin", entry.Role);
    }

    [Fact]
    public async Task A_huge_hub_argument_is_recorded_capped_and_marked()
    {
        var seller = await _host.ConnectAsync(SellerKey);

        await Assert.ThrowsAsync<HubException>(() => seller.InvokeAsync<LiveHost.Engine.Lines.LineTicket>("EnqueueLine", new { text = new string('x', 200_000) }));

        var entry = Assert.Single(Entries());
        Assert.Equal("refused: textTooLong", entry.Result);
        Assert.True(entry.Arguments.Length <= AuditArguments.MaxBytes, $"{entry.Arguments.Length} characters recorded");
        using var arguments = JsonDocument.Parse(entry.Arguments);
        Assert.True(arguments.RootElement.GetProperty("truncated").GetBoolean());
        Assert.True(arguments.RootElement.GetProperty("bytes").GetInt32() > 200_000);
    }

    [Fact]
    public async Task While_the_log_cannot_be_written_commands_are_refused_before_they_run_and_nothing_is_lost()
    {
        var producer = await _host.ConnectAsync(ProducerKey);
        var rest = _host.Client(ProducerKey);

        _database.Failing = true;
        await producer.InvokeAsync("Skip", "main"); // applied; its entry cannot be written and is held
        var hubRefusal = await Assert.ThrowsAsync<HubException>(() => producer.InvokeAsync("Pause", "main"));
        var restRefusal = await rest.PostAsync("/api/rooms/main/clear", null);
        _database.Failing = false;
        await producer.InvokeAsync("Resume", "main");

        Assert.Contains("audit log cannot be written", hubRefusal.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, restRefusal.StatusCode);
        Assert.Contains("storageFailed", await restRefusal.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["skip", "resume"], _host.Rooms["main"].Accepted);
        Assert.Equal(["Skip ok", "Resume ok"], Entries().Select(e => $"{e.Command} {e.Result}"));
    }

    [Fact]
    public async Task Admins_page_the_log_and_verify_it_over_rest_and_the_hub_and_others_are_refused()
    {
        var producer = await _host.ConnectAsync(ProducerKey);
        for (var i = 0; i < 3; i++) await producer.InvokeAsync("Skip", i == 1 ? "studio-b" : "main");
        var admin = _host.Client(AdminKey);

        using var page = JsonDocument.Parse(await admin.GetStringAsync("/api/audit?limit=2"));
        using var rest = JsonDocument.Parse(await admin.GetStringAsync("/api/audit?after=2"));
        using var studio = JsonDocument.Parse(await admin.GetStringAsync("/api/audit?room=studio-b"));
        using var verify = JsonDocument.Parse(await admin.GetStringAsync("/api/audit/verify"));
        var hubPage = await (await _host.ConnectAsync(AdminKey)).InvokeAsync<AuditPage>("GetAudit", "main", 1L);
        var producerRead = await _host.Client(ProducerKey).GetAsync("/api/audit");
        var badAfter = await admin.GetAsync("/api/audit?after=-1");
        var badLimit = await admin.GetAsync("/api/audit?limit=5000");

        Assert.Equal([1, 2], page.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("seq").GetInt32()));
        Assert.Equal(2, page.RootElement.GetProperty("next").GetInt64());
        Assert.Equal([3], rest.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("seq").GetInt32()));
        Assert.Equal(JsonValueKind.Null, rest.RootElement.GetProperty("next").ValueKind);
        Assert.Equal(["studio-b"], studio.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("room").GetString()));
        Assert.True(verify.RootElement.GetProperty("intact").GetBoolean());
        Assert.Equal(3, verify.RootElement.GetProperty("entries").GetInt32());
        Assert.Equal([3L], hubPage.Entries.Select(e => e.Seq));
        Assert.Equal(HttpStatusCode.Forbidden, producerRead.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badAfter.StatusCode);
        Assert.Contains("limit must be a whole number from 1 to 1000", await badLimit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
