using System.Buffers.Binary;
using LiveHost.Engine.Audio;

namespace LiveHost.Engine.Tests;

public sealed class UploadedAudioTests
{
    /// <summary>A RIFF/WAVE file as common tools write it, with an optional extra chunk before the data.</summary>
    public static byte[] Wav(short[] interleaved, int rate, int channels, int bits = 16, int formatTag = 1, bool listChunk = false)
    {
        var bytesPerSample = bits / 8;
        var data = new byte[interleaved.Length * bytesPerSample];
        for (var i = 0; i < interleaved.Length; i++)
        {
            if (bits == 16) BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), interleaved[i]);
            else data[i * bytesPerSample + bytesPerSample - 1] = (byte)(interleaved[i] >> 8);
        }
        using var file = new MemoryStream();
        using var writer = new BinaryWriter(file);
        writer.Write("RIFF"u8);
        writer.Write(0);
        writer.Write("WAVE"u8);
        writer.Write("fmt "u8);
        writer.Write(16);
        writer.Write((short)formatTag);
        writer.Write((short)channels);
        writer.Write(rate);
        writer.Write(rate * channels * bytesPerSample);
        writer.Write((short)(channels * bytesPerSample));
        writer.Write((short)bits);
        if (listChunk)
        {
            writer.Write("LIST"u8);
            writer.Write(5);
            writer.Write("INFOx"u8);
            writer.Write((byte)0); // pad to even
        }
        writer.Write("data"u8);
        writer.Write(data.Length);
        writer.Write(data);
        writer.Flush();
        var bytes = file.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
        return bytes;
    }

    private static short[] Sine(int rate, int frames, double hz, short amplitude = 12000) =>
        Enumerable.Range(0, frames).Select(i => (short)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate))).ToArray();

    [Fact]
    public void A_48kHz_mono_wav_decodes_sample_for_sample()
    {
        var samples = Enumerable.Range(0, 5000).Select(i => (short)(i * 13 - 30000)).ToArray();
        var wav = Wav(samples, 48_000, 1, listChunk: true);
        Assert.True(UploadedAudio.TryReadWav(wav, out var layout, out var problem), problem);
        Assert.Equal(samples, UploadedAudio.ToMono48k(wav, layout));
    }

    [Fact]
    public void A_16kHz_stereo_wav_is_downmixed_and_resampled_to_48kHz_keeping_its_pitch()
    {
        // Left a 440 Hz tone, right the same tone: the mix is that tone, 3 times as many samples.
        var tone = Sine(16_000, 16_000, 440);
        var interleaved = tone.SelectMany(s => new[] { s, s }).ToArray();
        var wav = Wav(interleaved, 16_000, 2);
        Assert.True(UploadedAudio.TryReadWav(wav, out var layout, out var problem), problem);
        Assert.Equal(1.0, layout.Seconds, 3);
        var mono = UploadedAudio.ToMono48k(wav, layout);
        Assert.InRange(mono.Length, 47_990, 48_000);
        // Pitch kept: count zero crossings over the middle of the clip (880 per second for 440 Hz).
        var crossings = 0;
        for (var i = 4801; i < 43_200; i++) if ((mono[i - 1] < 0) != (mono[i] < 0)) crossings++;
        Assert.InRange(crossings, 880 * 0.8 - 4, 880 * 0.8 + 4);
        Assert.InRange(mono.Max(), 11_000, 13_000);
    }

    [Fact]
    public void Opposite_stereo_channels_cancel_in_the_downmix()
    {
        var tone = Sine(48_000, 4800, 300);
        var interleaved = tone.SelectMany(s => new[] { s, (short)-s }).ToArray();
        var wav = Wav(interleaved, 48_000, 2);
        Assert.True(UploadedAudio.TryReadWav(wav, out var layout, out _));
        Assert.All(UploadedAudio.ToMono48k(wav, layout), s => Assert.Equal(0, s));
    }

    [Fact]
    public void L16_is_big_endian()
    {
        var samples = new short[] { 1, -2, 0x1234, short.MinValue, short.MaxValue };
        var body = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++) BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(i * 2), samples[i]);
        Assert.True(UploadedAudio.TryReadL16(body, 48_000, 1, out var layout, out var problem), problem);
        Assert.Equal(samples, UploadedAudio.ToMono48k(body, layout));
    }

    [Theory]
    [InlineData(24, 1, 48_000, 1, "24-bit")]
    [InlineData(8, 1, 48_000, 1, "8-bit")]
    [InlineData(32, 3, 48_000, 1, "IEEE float")]
    [InlineData(16, 0x55, 48_000, 1, "MP3")]
    [InlineData(16, 1, 96_000, 1, "96000 Hz")]
    [InlineData(16, 1, 48_000, 6, "6 channels")]
    [InlineData(16, 1, 8_001, 1, "unusual")]
    public void Unsupported_wav_formats_are_refused_saying_what_is_accepted(int bits, int tag, int rate, int channels, string what)
    {
        var wav = Wav(new short[channels * 100], rate, channels, bits, tag);
        Assert.False(UploadedAudio.TryReadWav(wav, out _, out var problem));
        Assert.Contains(what, problem, StringComparison.Ordinal);
        Assert.Contains("16-bit PCM", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("hello, this is not audio", "not a WAV file")]
    [InlineData("RIFF\0\0\0\0WAVE", "no fmt chunk")]
    public void Unreadable_bodies_are_refused(string body, string what)
    {
        Assert.False(UploadedAudio.TryReadWav(System.Text.Encoding.ASCII.GetBytes(body), out _, out var problem));
        Assert.Contains(what, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_streamed_wav_whose_data_size_is_unknown_is_read_to_the_end()
    {
        var samples = Enumerable.Range(0, 960).Select(i => (short)i).ToArray();
        var wav = Wav(samples, 48_000, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), uint.MaxValue);
        Assert.True(UploadedAudio.TryReadWav(wav, out var layout, out _));
        Assert.Equal(samples, UploadedAudio.ToMono48k(wav, layout));
    }

    private static readonly int[] L16Rates = [7999, 8000, 16000, 44100, 48000, 48001];

    // (Mutated WAV headers reach odd sample rates, each of which designs a new resampler filter: kept to a few thousand runs.)
    [Fact]
    public void Random_and_mutated_inputs_never_throw()
    {
        var random = new Random(4242);
        var seeds = new[]
        {
            Wav(Sine(16_000, 400, 200).SelectMany(s => new[] { s, s }).ToArray(), 16_000, 2, listChunk: true),
            Wav(Sine(44_100, 300, 500), 44_100, 1),
            Wav(new short[50], 8_000, 1),
        };
        for (var n = 0; n < 5_000; n++)
        {
            byte[] input;
            if (n % 4 == 0)
            {
                input = new byte[random.Next(0, 200)];
                random.NextBytes(input);
                if (input.Length >= 12 && n % 8 == 0) { "RIFF"u8.CopyTo(input); "WAVE"u8.CopyTo(input.AsSpan(8)); }
            }
            else
            {
                input = (byte[])seeds[n % seeds.Length].Clone();
                for (var m = random.Next(1, 6); m > 0; m--) input[random.Next(input.Length)] = (byte)random.Next(256);
                if (n % 3 == 0) input = input[..random.Next(input.Length)];
            }

            if (UploadedAudio.TryReadWav(input, out var layout, out var problem))
            {
                var mono = UploadedAudio.ToMono48k(input, layout);
                Assert.True(mono.Length <= layout.Frames * 6 + 8);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(problem));
            }
            if (UploadedAudio.TryReadL16(input, L16Rates[n % L16Rates.Length], random.Next(0, 4), out var l16, out _))
            {
                UploadedAudio.ToMono48k(input, l16);
            }
        }
    }
}
