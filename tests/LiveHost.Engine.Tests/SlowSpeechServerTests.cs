using LiveHost.Engine.Lines;
using LiveHost.Speech;
using LiveHost.Speech.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace LiveHost.Engine.Tests;

/// <summary>
/// A room running in real time whose lines use a speech server's voice, against a real HTTP server on loopback that
/// is slow to start, trickles, errors and disconnects: every line finishes as configured and no tick is late.
/// </summary>
public sealed class SlowSpeechServerTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_slow_erring_and_disconnecting_speech_server_makes_no_tick_late_and_each_line_ends_as_configured()
    {
        await using var server = await ScriptedSpeechServer.StartAsync();
        using var espeak = new EspeakSynthesizer(Microsoft.Extensions.Options.Options.Create(new SpeechOptions()), NullLogger<EspeakSynthesizer>.Instance);
        using var flite = new FliteSynthesizer(NullLogger<FliteSynthesizer>.Instance);
        var options = new SpeechOptions();
        options.Voices["nova"] = new SpeechVoiceOptions
        {
            Provider = "openai", BaseUrl = server.BaseUrl, SampleRate = 48000,
            FirstByteTimeout = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(30), BreakAfterFailures = 10,
        };
        using var voices = new SpeechVoices(options, espeak, flite, TimeProvider.System, NullLoggerFactory.Instance);
        var outcomes = new System.Collections.Concurrent.ConcurrentQueue<string>();
        voices.ProviderFailure += (_, outcome) => outcomes.Enqueue(outcome);

        // The server's audio: Flite's slt at 48 kHz, the rate the voice is configured with.
        var line = await ReadAllAsync(flite.Start(new SpeechRequest("Welcome back everyone.", "en", "flite-slt")));
        var pcm = new byte[line.Length * 2];
        Buffer.BlockCopy(line, 0, pcm, 0, pcm.Length);
        server.ForInput("slow start").ReplyPcm(pcm, chunkBytes: 4801, firstByteDelay: TimeSpan.FromMilliseconds(1500), pace: TimeSpan.FromMilliseconds(20));
        server.ForInput("server error").ReplyStatus(500);
        server.ForInput("server error").ReplyStatus(503);
        // Cut off once the room is playing it (so the client has its first audio: a reset could drop unread bytes).
        var playing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ForInput("cut off").ReplyPcm(pcm, chunkBytes: 4800, gate: playing.Task, disconnectAfter: pcm.Length / 2 + 4800);
        server.ForInput("trickle").ReplyPcm(pcm, chunkBytes: 999, pace: TimeSpan.FromMilliseconds(5));

        // Late means a second behind: a tick that waited for this server (1.5 s to its first byte) would be,
        // while the scheduler stalls of a machine shared by many builds (a few hundred ms) are not counted.
        await using var room = new RoomFixture(_db.Path, speech: voices, options: new Options.EngineOptions { LateTickMilliseconds = 1000 });
        room.Engine.FirstAudioPlaced += (started, _) =>
        {
            if (started.Text == "cut off") playing.TrySetResult();
        };
        room.Engine.Start();
        string[] texts = ["slow start", "server error", "cut off", "trickle"];
        foreach (var text in texts) await room.Controller.EnqueueAsync(new LineRequest(null, text, Voice: "nova"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        for (var i = 0; i < texts.Length; i++) await room.Events.FinishedSignal.WaitAsync(deadline.Token);

        var finished = room.Events.Finished.ToDictionary(l => l.Text, l => l.Reason);
        output.WriteLine(string.Join(", ", finished.Select(p => $"{p.Key}: {p.Value}")) + $"; late ticks {room.Engine.Statistics.LateTicks}, frames {room.Engine.FrameIndex}; " +
            $"provider outcomes [{string.Join(", ", outcomes)}], retries {voices.Remote("nova")!.Retries}, requests {server.RequestCount}");
        Assert.Equal(FinishReason.Completed, finished["slow start"]);
        Assert.Equal(FinishReason.Completed, finished["server error"]);   // spoken by the fallback voice
        Assert.Equal(FinishReason.Failed, finished["cut off"]);
        Assert.Equal(FinishReason.Completed, finished["trickle"]);
        Assert.Equal(["failed", "fallback"], outcomes.Order());
        Assert.True(room.Engine.FrameIndex > 25 * 3);
        Assert.Equal(0, room.Engine.Statistics.LateTicks);
    }

    [Fact]
    public async Task Ticks_run_on_while_the_speech_server_has_sent_nothing()
    {
        await using var server = await ScriptedSpeechServer.StartAsync();
        using var espeak = new EspeakSynthesizer(Microsoft.Extensions.Options.Options.Create(new SpeechOptions()), NullLogger<EspeakSynthesizer>.Instance);
        using var flite = new FliteSynthesizer(NullLogger<FliteSynthesizer>.Instance);
        var options = new SpeechOptions();
        options.Voices["nova"] = new SpeechVoiceOptions { Provider = "openai", BaseUrl = server.BaseUrl, SampleRate = 48000, FirstByteTimeout = TimeSpan.FromSeconds(60), Timeout = TimeSpan.FromSeconds(60) };
        using var voices = new SpeechVoices(options, espeak, flite, TimeProvider.System, NullLoggerFactory.Instance);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pcm = new byte[48000];
        Array.Fill(pcm, (byte)0x40);
        // Headers and nothing else until the test releases it; then all of it.
        server.ReplyPcm(pcm, chunkBytes: 2, gate: release.Task);
        await using var room = new RoomFixture(_db.Path, speech: voices);
        await room.Controller.EnqueueAsync(new LineRequest(null, "held", Voice: "nova"));

        // Fifty hand-driven ticks return while the server holds the line: none of them waits for it.
        room.Ticks(50);
        var request = await server.NextRequestAsync();
        Assert.Equal("held", request.Body.GetProperty("input").GetString());
        Assert.Equal(50, room.Engine.FrameIndex);
        Assert.Empty(room.Events.Finished);
        release.SetResult();
    }

    private static async Task<short[]> ReadAllAsync(SpeechStream stream)
    {
        var samples = new List<short>();
        await foreach (var chunk in stream.Chunks.ReadAllAsync()) samples.AddRange(chunk.Samples);
        return [.. samples];
    }
}
