using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests;

public sealed class OperatorEndpointTests : IAsyncLifetime
{
    private ControlPlaneTestHost _host = null!;

    public async Task InitializeAsync() => _host = await StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Healthz_needs_no_key_and_says_ok_when_every_room_is_on_time()
    {
        _host.Health.Rooms = [new RoomHealth("main", true, 1.2, null), new RoomHealth("studio-b", true, 0, null)];

        var response = await _host.Client(null).GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthz_is_503_listing_only_the_lagging_rooms()
    {
        _host.Health.Rooms = [new RoomHealth("main", true, 1, null), new RoomHealth("studio-b", false, 250.5, "frame clock 250 ms behind")];

        var response = await _host.Client(null).GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("lagging", report.RootElement.GetProperty("status").GetString());
        var rooms = report.RootElement.GetProperty("rooms");
        Assert.Equal(1, rooms.GetArrayLength());
        Assert.Equal("studio-b", rooms[0].GetProperty("room").GetString());
        Assert.Equal(250.5, rooms[0].GetProperty("lagMilliseconds").GetDouble());
        Assert.Equal("frame clock 250 ms behind", rooms[0].GetProperty("problem").GetString());
    }

    [Fact]
    public async Task Healthz_is_503_storage_failing_when_a_rooms_storage_cannot_write_though_its_clock_is_on_time()
    {
        _host.Health.Rooms = [new RoomHealth("main", true, 1, null, Storage: "failing since 2026-12-03T14:00:00Z: disk I/O error (2 writes held)")];

        var response = await _host.Client(null).GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("storageFailing", report.RootElement.GetProperty("status").GetString());
        var room = Assert.Single(report.RootElement.GetProperty("rooms").EnumerateArray());
        Assert.True(room.GetProperty("onTime").GetBoolean());
        Assert.Contains("disk I/O error", room.GetProperty("storage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_needs_no_key_and_serves_prometheus_text_with_livehost_series()
    {
        var metrics = _host.Services.GetRequiredServiceOf<LiveHostMetrics>();
        metrics.LineFinished("main", LiveHost.Engine.Lines.FinishReason.Interrupted);
        metrics.SetQueueLength("main", 3);
        metrics.FrameRendered("main", TimeSpan.FromMilliseconds(4));
        metrics.LateTick("main");
        metrics.VideoFramesDropped("main", "out-1", 2);
        metrics.SetOutputUp("main", "out-1", up: true);
        await _host.Client(SellerKey).PostAsJsonAsync("/api/rooms/main/lines", new { text = "count me" });
        await _host.Client(SellerKey).PostAsJsonAsync("/api/rooms/main/lines", new { text = "" });

        var response = await _host.Client(null).GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        // The REST line above is counted once (the refused empty one is not).
        Assert.Contains("livehost_lines_accepted_total{room=\"main\",kind=\"enqueue\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("livehost_lines_finished_total{room=\"main\",reason=\"interrupted\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("livehost_queue_length{room=\"main\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("livehost_frames_rendered_total{room=\"main\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("livehost_frame_render_seconds_bucket{room=\"main\",le=\"0.008\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("livehost_late_ticks_total{room=\"main\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("livehost_video_frames_dropped_total{room=\"main\",output=\"out-1\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("livehost_output_up{room=\"main\",output=\"out-1\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("livehost_control_commands_total{command=\"EnqueueLine\",outcome=\"ok\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("livehost_control_commands_total{command=\"EnqueueLine\",outcome=\"textEmpty\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("livehost_hub_events_pending", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_host_has_its_own_registry_so_series_do_not_leak_between_hosts()
    {
        _host.Services.GetRequiredServiceOf<LiveHostMetrics>().LateTick("only-here");
        await using var other = await StartAsync();

        var text = await other.Client(null).GetStringAsync("/metrics");

        Assert.DoesNotContain("only-here", text, StringComparison.Ordinal);
    }
}
