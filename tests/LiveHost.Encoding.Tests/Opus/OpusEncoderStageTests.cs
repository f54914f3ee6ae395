using Concentus;
using Concentus.Enums;
using LiveHost.Encoding.Opus;

namespace LiveHost.Encoding.Tests.Opus;

public sealed class OpusEncoderStageTests(ITestOutputHelper output)
{
    private sealed class FrameCollector : IOpusFrameSink
    {
        public List<(byte[] Packet, long Position, int Samples)> Frames { get; } = [];

        public void OnOpusFrame(ReadOnlySpan<byte> opusPacket, long samplePosition, int sampleCount) =>
            Frames.Add((opusPacket.ToArray(), samplePosition, sampleCount));
    }

    private static float[] Tone(double frequency, int samples, double amplitude = 0.5) =>
        Enumerable.Range(0, samples).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / 48_000))).ToArray();

    private static float[] Decode(IEnumerable<byte[]> packets)
    {
        var decoder = OpusCodecFactory.CreateDecoder(48_000, 1);
        var output = new List<float>();
        var buffer = new float[5760];
        foreach (var packet in packets)
        {
            var samples = decoder.Decode(packet, buffer, buffer.Length, false);
            output.AddRange(buffer.Take(samples));
        }
        return [.. output];
    }

    private static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var s in samples) sum += s * s;
        return Math.Sqrt(sum / samples.Length);
    }

    private static double DominantFrequency(ReadOnlySpan<float> samples)
    {
        var best = 0.0;
        var bestPower = -1.0;
        for (var f = 100.0; f <= 2000; f += 10)
        {
            double re = 0, im = 0;
            for (var i = 0; i < samples.Length; i++)
            {
                var phase = 2 * Math.PI * f * i / 48_000;
                re += samples[i] * Math.Cos(phase);
                im += samples[i] * Math.Sin(phase);
            }
            var power = re * re + im * im;
            if (power > bestPower) (best, bestPower) = (f, power);
        }
        return best;
    }

    [Theory]
    [InlineData(1920)] // one 25 fps tick
    [InlineData(1600)] // one 30 fps tick
    [InlineData(700)]  // sizes that never line up with a frame
    public void A_440_hz_tone_in_any_chunk_size_decodes_back_to_440_hz_at_the_same_level(int chunk)
    {
        var input = Tone(440, 48_000);
        var stage = new OpusEncoderStage();
        var sink = new FrameCollector();
        for (var offset = 0; offset < input.Length; offset += chunk) stage.Write(input.AsSpan(offset, Math.Min(chunk, input.Length - offset)), sink);

        Assert.Equal(50, sink.Frames.Count);
        Assert.Equal(0, stage.BufferedSamples);
        for (var i = 0; i < sink.Frames.Count; i++)
        {
            Assert.Equal(i * 960L, sink.Frames[i].Position);
            Assert.Equal(960, sink.Frames[i].Samples);
        }
        // 64 kbit/s of 20 ms frames is about 160 bytes a frame; VBR keeps it near that.
        Assert.InRange(sink.Frames.Average(f => f.Packet.Length), 60, 320);

        var decoded = Decode(sink.Frames.Select(f => f.Packet));
        Assert.Equal(48_000, decoded.Length);
        var steady = decoded.AsSpan(9_600, 19_200); // skip the encoder's start-up
        Assert.InRange(Rms(steady) / Rms(input.AsSpan(9_600, 19_200)), 0.8, 1.2);
        Assert.InRange(DominantFrequency(steady[..4_800]), 430, 450);

        // The waveform itself, not just its spectrum: best normalised correlation over the codec's delay.
        var best = Enumerable.Range(0, 600).Max(lag => Correlation(input.AsSpan(9_600, 4_800), decoded.AsSpan(9_600 + lag, 4_800)));
        Assert.True(best > 0.9, $"correlation {best:0.###}");
    }

    [Fact]
    public void Silence_and_a_tone_differ_and_16_bit_input_matches_float_input()
    {
        var tone = Tone(1000, 9_600);
        var shorts = tone.Select(s => (short)Math.Round(s * 32767)).ToArray();
        var fromFloat = new FrameCollector();
        var fromShort = new FrameCollector();
        new OpusEncoderStage().Write(tone, fromFloat);
        new OpusEncoderStage().Write(shorts, fromShort);
        var a = Decode(fromFloat.Frames.Select(f => f.Packet));
        var b = Decode(fromShort.Frames.Select(f => f.Packet));
        Assert.InRange(DominantFrequency(b.AsSpan(4_800, 2_400)), 980, 1020);
        Assert.InRange(Rms(b.AsSpan(4_800)) / Rms(a.AsSpan(4_800)), 0.95, 1.05);

        var silent = new FrameCollector();
        new OpusEncoderStage().Write(new float[9_600], silent);
        Assert.True(Rms(Decode(silent.Frames.Select(f => f.Packet))) < 0.001);
    }

    [Fact]
    public void Frames_start_at_the_configured_sample_position_and_partial_frames_wait()
    {
        var stage = new OpusEncoderStage(new OpusEncoderStageOptions { FirstSamplePosition = 48_000 * 10 });
        var sink = new FrameCollector();
        Assert.Equal(0, stage.Write(new float[959], sink));
        Assert.Equal(959, stage.BufferedSamples);
        Assert.Equal(2, stage.Write(new float[961], sink));
        Assert.Equal([480_000L, 480_960L], sink.Frames.Select(f => f.Position));
    }

    private static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.Sqrt(aa * bb);
    }

    [Fact]
    public void Opus_encoder_stage_allocates_nothing_beyond_what_concentus_itself_does()
    {
        // Concentus, a managed port of libopus, allocates tens of kilobytes inside every Encode call (gen0 garbage
        // we cannot avoid short of native libopus). The stage must add nothing on top: same frames, same bytes.
        var tick = new float[1920];
        for (var i = 0; i < tick.Length; i++) tick[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 300 * i / 48_000));

        var encoder = OpusCodecFactory.CreateEncoder(48_000, 1, OpusApplication.OPUS_APPLICATION_AUDIO);
        var options = new OpusEncoderStageOptions();
        encoder.Bitrate = options.Bitrate;
        encoder.Complexity = options.Complexity;
        var packet = new byte[1275];
        for (var i = 0; i < 50; i++) encoder.Encode(tick.AsSpan(0, 960), 960, packet, packet.Length);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) encoder.Encode(tick.AsSpan(i % 2 * 960, 960), 960, packet, packet.Length);
        var codecPerFrame = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;

        var stage = new OpusEncoderStage(options);
        var sink = new NullOpusSink();
        for (var i = 0; i < 25; i++) stage.Write(tick, sink);
        before = GC.GetAllocatedBytesForCurrentThread();
        var frames = 0;
        for (var i = 0; i < 50; i++) frames += stage.Write(tick, sink);
        var stagePerFrame = (GC.GetAllocatedBytesForCurrentThread() - before) / frames;
        output.WriteLine($"Concentus alone: {codecPerFrame} B/frame; through the stage: {stagePerFrame} B/frame");

        Assert.Equal(100, frames);
        Assert.True(stagePerFrame - codecPerFrame < 256, $"stage {stagePerFrame} B/frame against codec {codecPerFrame} B/frame");
    }

    private sealed class NullOpusSink : IOpusFrameSink
    {
        public void OnOpusFrame(ReadOnlySpan<byte> opusPacket, long samplePosition, int sampleCount)
        {
        }
    }
}
