using LiveHost.Inference.Audio;
using LiveHost.Inference.Models;
using LiveHost.Speech;

namespace LiveHost.Inference.Tests.Onnx;

public sealed class BatchedModelRunnerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Wav2Lip_batch_of_rooms_gives_each_room_its_own_single_run_result(int rooms)
    {
        // Singly: a runner that never batches.
        using var singleHost = TestModels.Host(maxBatch: 1, windowMs: 0);
        var single = new Wav2LipModel(singleHost, TestModels.Wav2Lip).CreateRoom();
        var expected = new float[rooms][];
        for (var r = 0; r < rooms; r++)
        {
            FillWav2Lip(single, r);
            await single.RunAsync();
            expected[r] = single.Output.ToArray();
            var formula = new float[Wav2LipModel.OutputLength];
            TestModels.ExpectedWav2Lip(single.Mel, single.Face, formula);
            AssertClose(formula, expected[r], 1e-5f);
        }

        // Batched: all rooms submit together inside one long window.
        using var host = TestModels.Host(maxBatch: 8, windowMs: 500);
        var model = new Wav2LipModel(host, TestModels.Wav2Lip);
        var handles = Enumerable.Range(0, rooms).Select(_ => model.CreateRoom()).ToArray();
        for (var r = 0; r < rooms; r++) FillWav2Lip(handles[r], r);
        await Task.WhenAll(handles.Select(h => h.RunAsync().AsTask()));

        Assert.Equal(1, model.Runner.BatchesRun);
        Assert.Equal(rooms, model.Runner.FramesRun);
        for (var r = 0; r < rooms; r++) AssertClose(expected[r], handles[r].Output.ToArray(), 1e-6f);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Viseme_batch_gives_each_room_its_own_single_run_prediction(int rooms)
    {
        using var singleHost = TestModels.Host(maxBatch: 1, windowMs: 0);
        var single = new VisemeModel(singleHost, TestModels.Viseme).CreateRoom();
        var expectedLogits = new float[rooms][];
        var expectedViseme = new Viseme[rooms];
        for (var r = 0; r < rooms; r++)
        {
            TestModels.Fill(single.Mel, 100 + r, -4, 4);
            expectedViseme[r] = await single.PredictAsync();
            expectedLogits[r] = single.Logits.ToArray();
            Assert.Equal(1f, Sum(single.Probabilities), 1e-5f);
            Assert.Equal(single.Probabilities[(int)expectedViseme[r]], Max(single.Probabilities));
        }
        Assert.True(expectedViseme.Distinct().Count() > 1 || rooms < 3, "the fixture model should not answer the same for every input");

        using var host = TestModels.Host(maxBatch: 8, windowMs: 500);
        var model = new VisemeModel(host, TestModels.Viseme);
        var handles = Enumerable.Range(0, rooms).Select(_ => model.CreateRoom()).ToArray();
        for (var r = 0; r < rooms; r++) TestModels.Fill(handles[r].Mel, 100 + r, -4, 4);
        var predictions = await Task.WhenAll(handles.Select(h => h.PredictAsync().AsTask()));

        Assert.Equal(1, model.Runner.BatchesRun);
        Assert.Equal(expectedViseme, predictions);
        for (var r = 0; r < rooms; r++) AssertClose(expectedLogits[r], handles[r].Logits.ToArray(), 1e-5f);
    }

    [Fact]
    public async Task Eight_rooms_of_fifty_frames_each_get_their_own_results_and_share_batches()
    {
        const int rooms = 8, frames = 50;
        using var host = TestModels.Host(maxBatch: 8, windowMs: 3);
        var model = new Wav2LipModel(host, TestModels.Wav2Lip);

        async Task RoomLoop(int room)
        {
            var handle = model.CreateRoom();
            var expected = new float[Wav2LipModel.OutputLength];
            for (var f = 0; f < frames; f++)
            {
                var seed = (room * 1000) + f;
                TestModels.Fill(handle.Mel, seed, -4, 4);
                TestModels.Fill(handle.Face, seed + 500_000, 0, 1);
                await handle.RunAsync();
                TestModels.ExpectedWav2Lip(handle.Mel, handle.Face, expected);
                AssertClose(expected, handle.Output.ToArray(), 1e-5f);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, rooms).Select(r => Task.Run(() => RoomLoop(r))));

        Assert.Equal(rooms * frames, model.Runner.FramesRun);
        Assert.True(model.Runner.BatchesRun < rooms * frames,
            $"{model.Runner.BatchesRun} batches for {rooms * frames} frames: rooms were never batched together");
    }

    [Fact]
    public async Task A_second_frame_while_one_is_in_flight_is_refused()
    {
        using var host = TestModels.Host(maxBatch: 8, windowMs: 200);
        var room = new VisemeModel(host, TestModels.Viseme).CreateRoom();
        var first = room.PredictAsync();

        // PredictAsync is an async method: the refusal surfaces through its ValueTask.
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await room.PredictAsync());
        await first;
    }

    [Fact]
    public async Task Disposing_the_host_fails_frames_still_waiting()
    {
        var host = TestModels.Host(maxBatch: 8, windowMs: 1000);
        var room = new Wav2LipModel(host, TestModels.Wav2Lip).CreateRoom();
        var pending = room.RunAsync().AsTask();

        host.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending);
        Assert.Throws<ObjectDisposedException>(() => { room.RunAsync().AsTask().GetAwaiter().GetResult(); });
    }

    [Fact]
    public async Task Viseme_from_a_real_mel_window_runs_end_to_end()
    {
        using var host = TestModels.Host(maxBatch: 8, windowMs: 1);
        var room = new VisemeModel(host, TestModels.Viseme).CreateRoom();
        var audio = Fixtures.ReadFloats("melspec_wav48k.f32").AsSpan(0, 19_200).ToArray();
        new MelWindowExtractor().ComputeForFrame(audio, 9600, MelWindowAlignment.CenteredOnFrame, room.Mel);

        var viseme = await room.PredictAsync();

        Assert.True(Enum.IsDefined(viseme));
        Assert.Equal(1f, Sum(room.Probabilities), 1e-5f);
    }

    private static void FillWav2Lip(Wav2LipRoom room, int seed)
    {
        TestModels.Fill(room.Mel, seed, -4, 4);
        TestModels.Fill(room.Face, seed + 1000, 0, 1);
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > tolerance)
                Assert.Fail($"value {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    private static float Sum(ReadOnlySpan<float> values)
    {
        var s = 0f;
        foreach (var v in values) s += v;
        return s;
    }

    private static float Max(ReadOnlySpan<float> values)
    {
        var m = float.MinValue;
        foreach (var v in values) m = Math.Max(m, v);
        return m;
    }
}
