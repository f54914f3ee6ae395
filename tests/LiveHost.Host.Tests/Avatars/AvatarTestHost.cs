using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveHost.Host.Avatars;
using LiveHost.Host.Rooms;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>
/// The real host (Program) with one room, main, at 320x240 and no RTMP output, its avatar chosen by the test's
/// settings; every avatar the host's own factory makes is wrapped in a <see cref="RecordingAvatar"/>.
/// </summary>
public sealed class AvatarTestHost : IAsyncDisposable
{
    public const string AdminKey = "avatar-test-admin-key-0123456789";

    private readonly string _data = Directory.CreateTempSubdirectory("livehost-avatars-").FullName;

    public AvatarTestHost(IReadOnlyDictionary<string, string> settings)
    {
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", _data);
            b.UseSetting("Rooms:main:Width", "320");
            b.UseSetting("Rooms:main:Height", "240");
            b.UseSetting("Auth:Keys:0:Key", AdminKey);
            b.UseSetting("Auth:Keys:0:Role", "admin");
            b.UseSetting("Auth:Keys:0:Name", "avatar tests");
            b.UseSetting("Inference:PreferGpu", "false");
            foreach (var (key, value) in settings) b.UseSetting(key, value);
            b.ConfigureTestServices(services =>
                services.AddSingleton<IAvatarFactory>(sp => new RecordingAvatarFactory(sp.GetRequiredService<AvatarFactory>())));
        });
    }

    public WebApplicationFactory<Program> Factory { get; }

    /// <summary>Starts the server (throws what the start threw).</summary>
    public void Start() => _ = Factory.Server;

    public LiveRoom Room => Factory.Services.GetRequiredService<LiveRooms>().All.Single(r => r.Name == "main");

    public RecordingAvatar Recorder => ((RecordingAvatarFactory)Factory.Services.GetRequiredService<IAvatarFactory>()).Room("main");

    public HttpClient Client()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>
    /// Says a line in room main and returns the frames recorded from a little before it started to a little after it
    /// ended (the line's speaking frames plus <paramref name="margin"/> frames each side).
    /// </summary>
    public async Task<IReadOnlyList<FrameRecord>> SpeakAsync(string text, int margin = 12, double timeoutSeconds = 30)
    {
        await WaitForFramesAsync(margin + 1, TimeSpan.FromSeconds(15));
        using var client = Client();
        var post = await client.PostAsJsonAsync("/api/rooms/main/lines", new { text, language = "en" });
        post.EnsureSuccessStatusCode();
        var deadline = Stopwatch.GetTimestamp() + (long)(timeoutSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var frames = Recorder.Frames;
            var first = IndexOf(frames, f => f.Speaking);
            var lastSpeaking = LastIndexOf(frames, f => f.Speaking);
            if (first >= 0 && lastSpeaking > first && frames.Count > lastSpeaking + margin && !frames[^1].Speaking)
            {
                var from = Math.Max(0, first - margin);
                return frames.Skip(from).Take(lastSpeaking + margin + 1 - from).ToArray();
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the line was not spoken within {timeoutSeconds} s ({Recorder.Frames.Count} frames recorded)");
    }

    public async Task WaitForFramesAsync(int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Recorder.Frames.Count < count)
        {
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"the room drew {Recorder.Frames.Count} of {count} frames in {timeout}");
            await Task.Delay(50);
        }
    }

    private static int IndexOf(IReadOnlyList<FrameRecord> frames, Func<FrameRecord, bool> predicate)
    {
        for (var i = 0; i < frames.Count; i++) if (predicate(frames[i])) return i;
        return -1;
    }

    private static int LastIndexOf(IReadOnlyList<FrameRecord> frames, Func<FrameRecord, bool> predicate)
    {
        for (var i = frames.Count - 1; i >= 0; i--) if (predicate(frames[i])) return i;
        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
