using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.ControlPlane.Recordings;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Recordings;

/// <summary>The real host (every real part, no outputs) at 320x240, recording room main when an admin asks.</summary>
public sealed class RecordingHost : IAsyncLifetime
{
    public const string AdminKey = "rec-admin-key-0123456789";
    public const string ProducerKey = "rec-producer-key-0123456789";

    public string Data { get; } = Directory.CreateTempSubdirectory("livehost-rec-").FullName;
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", Data);
            b.UseSetting("Rooms:main:Width", "320");
            b.UseSetting("Rooms:main:Height", "240");
            b.UseSetting("Rooms:main:Recording:MinFreeDiskMb", "64");
            b.UseSetting("Auth:Keys:0:Key", AdminKey);
            b.UseSetting("Auth:Keys:0:Role", "admin");
            b.UseSetting("Auth:Keys:1:Key", ProducerKey);
            b.UseSetting("Auth:Keys:1:Role", "producer");
        });
        _ = Factory.Server;
        return Task.CompletedTask;
    }

    public HttpClient Client(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        Directory.Delete(Data, recursive: true);
    }
}

public sealed class RecordingEndToEndTests(RecordingHost host, ITestOutputHelper output) : IClassFixture<RecordingHost>
{
    [Fact]
    public async Task A_recording_started_and_stopped_over_REST_is_H264_and_AAC_with_the_AIGC_tag_the_AI_label_in_its_pictures_and_the_wall_clocks_duration()
    {
        using var admin = host.Client(RecordingHost.AdminKey);
        using var start = await admin.PostAsync("/api/rooms/main/recordings/start", null);
        var wall = Stopwatch.StartNew();
        Assert.True(start.StatusCode == HttpStatusCode.OK, await start.Content.ReadAsStringAsync());
        Assert.True((await start.Content.ReadFromJsonAsync<RecordingsState>())!.Recording);

        var current = await RecordingProbe.WaitForCurrentFileAsync(admin, seconds: 4, TimeSpan.FromSeconds(60));
        var stopAsked = DateTimeOffset.UtcNow;
        using var stop = await admin.PostAsync("/api/rooms/main/recordings/stop", null);
        wall.Stop();
        var stopAnswered = DateTimeOffset.UtcNow;
        var stopped = (await stop.Content.ReadFromJsonAsync<RecordingsState>())!;
        Assert.False(stopped.Recording);
        var file = Assert.Single(stopped.Files, f => f.Name == current.Name);
        Assert.False(file.Recording);
        var path = Path.Combine(host.Data, "recordings", "main", file.Name);
        Assert.Equal(new FileInfo(path).Length, file.Bytes);

        var probe = await FfmpegTools.ProbeAsync(path, TimeSpan.FromSeconds(30));
        var duration = RecordingProbe.FormatDuration(probe);
        // The file starts at the first keyframe after the start (its Start, the server's wall clock then, in whole seconds
        // as its name carries it) and ends at the stop: its media time must match the wall-clock time it covers.
        var covered = (stopAsked - file.Start).TotalSeconds;
        var coveredAtMost = (stopAnswered - file.Start).TotalSeconds;
        output.WriteLine($"{file.Name}: start to stop {wall.Elapsed.TotalSeconds:0.000} s, covers {covered:0.000}-{coveredAtMost:0.000} s of wall clock, ffprobe {duration:0.000} s, listed {file.DurationSeconds:0.000} s, {file.Bytes} bytes");
        Assert.Equal("h264", probe.Video?.CodecName);
        Assert.Equal(320, probe.Video?.Width);
        Assert.Equal("aac", probe.Audio?.CodecName);
        using (var aigc = JsonDocument.Parse(probe.FormatTags["AIGC"]))
        {
            Assert.Equal("1", aigc.RootElement.GetProperty("Label").GetString());
            Assert.Equal(32, aigc.RootElement.GetProperty("ProduceID").GetString()!.Length);
        }
        Assert.Equal(probe.FormatTags["AIGC"], probe.FormatTags["comment"]);
        Assert.InRange(duration, covered - 1 - 1, coveredAtMost + 1); // one more second below: Start is truncated to the second
        // The listing times the pictures; the file's audio runs up to Engine:AudioLeadMilliseconds past the last one (audio
        // is placed that far ahead of the picture, issue 17, and what was placed before the stop is kept).
        var audioLeadSeconds = new LiveHost.Engine.Options.EngineOptions().AudioLeadMilliseconds / 1000;
        Assert.InRange(file.DurationSeconds, duration - 0.1 - audioLeadSeconds, duration + 0.1);

        var (ink, pill) = await RecordingProbe.LabelPixelsAsync(path, 320, 240, "en");
        output.WriteLine($"label box: {ink:P1} ink, {pill:P1} dark pill");
        Assert.True(ink > 0.03 && pill > 0.2, $"the AI label is not in the recorded picture: {ink:P1} ink, {pill:P1} dark pill in its box");
        Assert.True(await RecordingProbe.DecodedPicturesAsync(path, cut: false) >= 4 * 25);
    }

    [Fact]
    public async Task Recordings_are_admin_only_and_an_unknown_room_is_a_404_that_changes_nothing()
    {
        using var producer = host.Client(RecordingHost.ProducerKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await producer.GetAsync("/api/rooms/main/recordings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await producer.PostAsync("/api/rooms/main/recordings/start", null)).StatusCode);

        using var admin = host.Client(RecordingHost.AdminKey);
        var before = await admin.GetStringAsync("/api/rooms/main/recordings");
        using var unknown = await admin.PostAsync("/api/rooms/nosuch/recordings/start", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("nosuch", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await admin.GetStringAsync("/api/rooms/main/recordings"));
    }
}
