using LiveHost.Speech;
using LiveHost.Speech.OpenAi;
using Xunit.Abstractions;

namespace LiveHost.Speech.Tests;

/// <summary>The OpenAI-compatible provider against a real HTTP server on loopback that streams PCM made by Flite.</summary>
[Collection(VoicesCollection.Name)]
public sealed class OpenAiSpeechProviderTests(VoicesFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private ScriptedSpeechServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptedSpeechServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static SpeechRequest Line(string? voice = "nova") => new(VoicesFixture.Line, "en", voice);

    [Fact]
    public async Task The_request_names_model_voice_and_pcm_and_carries_the_key()
    {
        using var voices = fixture.Voices(_server);
        _server.ReplyPcm(fixture.ServerPcm);

        var capture = await SpeechCapture.ReadAsync(voices.Start(Line()));
        var request = await _server.NextRequestAsync();

        Assert.Equal("kokoro", request.Body.GetProperty("model").GetString());
        Assert.Equal("af_heart", request.Body.GetProperty("voice").GetString());
        Assert.Equal("pcm", request.Body.GetProperty("response_format").GetString());
        Assert.Equal(VoicesFixture.Line, request.Body.GetProperty("input").GetString());
        Assert.Equal("Bearer test-key", request.Authorization);
        // 24 kHz in, 48 kHz out: twice the samples, within the resampler's edge.
        Assert.InRange(capture.Samples.Length, fixture.ServerPcm.Length - 100, fixture.ServerPcm.Length + 100);
        Assert.True(SpeechCapture.Rms(capture.Samples) > 1000);
    }

    [Fact]
    public async Task The_first_audio_arrives_while_the_server_is_still_sending()
    {
        using var voices = fixture.Voices(_server);
        var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.ReplyPcm(fixture.ServerPcm, chunkBytes: 4800, gate: rest.Task);

        using var stream = voices.Start(Line());
        // The server holds back the second half until the client has audio: only streaming gets past this.
        Assert.True(await stream.Chunks.WaitToReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(stream.Chunks.Completion.IsCompleted);
        rest.SetResult();
        var capture = await SpeechCapture.ReadAsync(stream);

        Assert.InRange(capture.Samples.Length, fixture.ServerPcm.Length - 100, fixture.ServerPcm.Length + 100);
    }

    [Fact]
    public async Task A_slow_trickle_of_odd_sized_pieces_gives_the_same_audio_as_one_piece()
    {
        using var voices = fixture.Voices(_server);
        _server.ReplyPcm(fixture.ServerPcm, chunkBytes: fixture.ServerPcm.Length);
        var whole = await SpeechCapture.ReadAsync(voices.Start(Line()));
        // 1001 bytes: most pieces end inside a sample, which the client must join with the next piece's first byte.
        _server.ReplyPcm(fixture.ServerPcm, chunkBytes: 1001, pace: TimeSpan.FromMilliseconds(1));
        var trickled = await SpeechCapture.ReadAsync(voices.Start(Line()));

        output.WriteLine($"whole: {whole.ChunkCount} chunks; trickled: {trickled.ChunkCount} chunks");
        Assert.Equal(whole.Samples, trickled.Samples);
    }

    [Fact]
    public async Task A_server_error_is_retried_once_and_the_second_answer_is_spoken()
    {
        using var voices = fixture.Voices(_server);
        var failures = new List<string>();
        voices.ProviderFailure += (voice, outcome) => failures.Add(outcome);
        _server.ReplyStatus(503);
        _server.ReplyPcm(fixture.ServerPcm);

        var capture = await SpeechCapture.ReadAsync(voices.Start(Line()));

        Assert.Equal(2, _server.RequestCount);
        Assert.Equal(1, voices.Remote("nova")!.Retries);
        Assert.InRange(capture.Samples.Length, fixture.ServerPcm.Length - 100, fixture.ServerPcm.Length + 100);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task No_first_byte_in_time_twice_falls_back_to_the_local_voice_with_a_warning_event()
    {
        using var voices = fixture.Voices(_server, v => v.FirstByteTimeout = TimeSpan.FromMilliseconds(300));
        var fellBack = new TaskCompletionSource<(string, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        voices.ProviderFailure += (voice, outcome) => fellBack.TrySetResult((voice, outcome));
        _server.ReplyPcm(fixture.ServerPcm, firstByteDelay: TimeSpan.FromSeconds(30));
        _server.ReplyPcm(fixture.ServerPcm, firstByteDelay: TimeSpan.FromSeconds(30));

        var capture = await SpeechCapture.ReadAsync(voices.Start(Line()));

        Assert.Equal(("nova", "fallback"), await fellBack.Task);
        Assert.Equal(2, _server.RequestCount);
        // Flite's slt spoke it: with phoneme marks, which the server's audio never has.
        Assert.NotEmpty(capture.Marks);
        Assert.True(SpeechCapture.Rms(capture.Samples) > 1000);
    }

    [Fact]
    public async Task A_client_error_is_not_retried_and_with_OnFailure_Fail_the_line_fails()
    {
        using var voices = fixture.Voices(_server, v => v.OnFailure = "Fail");
        _server.ReplyStatus(400);

        var error = await Assert.ThrowsAsync<SpeechServerException>(() => SpeechCapture.ReadAsync(voices.Start(Line())));

        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task A_disconnect_mid_line_fails_the_line_after_the_audio_already_delivered()
    {
        using var voices = fixture.Voices(_server);
        var outcome = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        voices.ProviderFailure += (_, o) => outcome.TrySetResult(o);
        _server.ReplyPcm(fixture.ServerPcm, chunkBytes: 4800, disconnectAfter: fixture.ServerPcm.Length / 2);

        using var stream = voices.Start(Line());
        var samples = 0;
        var error = await Assert.ThrowsAsync<SpeechServerException>(async () =>
        {
            await foreach (var chunk in stream.Chunks.ReadAllAsync()) samples += chunk.Samples.Length;
        });

        Assert.True(error.AfterAudio);
        Assert.Equal("failed", await outcome.Task);
        // Part of the line was heard; it is not started again (by the server or the fallback voice).
        Assert.InRange(samples, 1, fixture.ServerPcm.Length / 2 + 100);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task After_repeated_failures_the_circuit_opens_and_lines_fall_back_without_asking_the_server()
    {
        using var voices = fixture.Voices(_server, v => v.BreakAfterFailures = 2);
        for (var i = 0; i < 4; i++) _server.ReplyStatus(500);
        await SpeechCapture.ReadAsync(voices.Start(Line()));
        await SpeechCapture.ReadAsync(voices.Start(Line()));
        Assert.Equal(4, _server.RequestCount);
        Assert.True(voices.Remote("nova")!.Breaker.IsOpen);

        var third = await SpeechCapture.ReadAsync(voices.Start(Line()));

        Assert.Equal(4, _server.RequestCount);
        Assert.NotEmpty(third.Marks);
    }

    [Fact]
    public async Task Cancelling_a_line_stops_reading_the_server_and_neither_falls_back_nor_fails()
    {
        using var voices = fixture.Voices(_server);
        var failures = 0;
        voices.ProviderFailure += (_, _) => Interlocked.Increment(ref failures);
        var never = new TaskCompletionSource();
        _server.ReplyPcm(fixture.ServerPcm, chunkBytes: 4800, gate: never.Task);

        var stream = voices.Start(Line());
        Assert.True(await stream.Chunks.WaitToReadAsync());
        stream.Cancel();
        // Drains what had arrived; throws if the line failed instead of ending.
        var capture = await SpeechCapture.ReadAsync(stream, TimeSpan.FromSeconds(30));

        Assert.True(stream.Chunks.Completion.IsCompletedSuccessfully);
        Assert.InRange(capture.Samples.Length, 1, fixture.ServerPcm.Length / 2 + 4800);
        Assert.Equal(0, failures);
        stream.Dispose();
    }

    [Fact]
    public void The_server_voice_is_listed_without_phoneme_timings_and_english_defaults_to_flite_slt()
    {
        using var voices = fixture.Voices(_server);

        Assert.True(voices.TryResolveVoice("en", "nova", out var nova));
        Assert.False(nova.HasPhonemeTimings);
        Assert.True(voices.TryResolveVoice("en", null, out var english));
        Assert.Equal("flite-slt", english.Id);
        Assert.True(voices.TryResolveVoice("zh", null, out var mandarin));
        Assert.Equal("cmn", mandarin.Id);
        Assert.True(voices.TryResolveVoice("en", "en-us", out _));
    }
}
