using System.Buffers.Binary;
using LiveHost.Media;
using LiveHost.Speech;

namespace LiveHost.Engine.Audio;

/// <summary>
/// Turns recorded audio a producer uploaded into the pipeline's 48 kHz mono 16-bit samples: RIFF/WAVE 16-bit PCM
/// (little-endian) or RFC 2586 <c>audio/L16</c> (big-endian), mono or stereo, 8 to 48 kHz. Stereo is averaged;
/// other rates go through <see cref="Resampler"/>. Every refusal says what was wrong and what is accepted.
/// </summary>
public static class UploadedAudio
{
    public const int MinSampleRate = 8000;
    public const int MaxSampleRate = 48_000;
    public const string Accepted = "send audio/wav with 16-bit PCM, or audio/L16;rate=R;channels=C (big-endian), mono or stereo, 8000 to 48000 Hz";

    /// <summary>What a WAV or L16 body holds before decoding: enough to check its length without decoding it.</summary>
    public readonly record struct PcmLayout(int Channels, int SampleRate, bool BigEndian, int DataOffset, int DataLength)
    {
        public long Frames => DataLength / (Channels * 2);

        public double Seconds => (double)Frames / SampleRate;
    }

    /// <summary>Checks a WAV body; on failure <paramref name="problem"/> says what is wrong and what is accepted.</summary>
    public static bool TryReadWav(ReadOnlySpan<byte> body, out PcmLayout layout, out string? problem)
    {
        layout = default;
        if (body.IsEmpty)
        {
            problem = "the body is empty: " + Accepted;
            return false;
        }
        if (!WavHeader.TryParse(body, out var header, out var parseProblem))
        {
            problem = parseProblem + ": " + Accepted;
            return false;
        }
        if (header.FormatTag != WavHeader.Pcm)
        {
            problem = $"the WAV file is {FormatName(header.FormatTag)}, not PCM: " + Accepted;
            return false;
        }
        if (header.BitsPerSample != 16)
        {
            problem = $"the WAV file has {header.BitsPerSample}-bit samples; only 16-bit is accepted: " + Accepted;
            return false;
        }
        if (header.BlockAlign != header.Channels * 2)
        {
            problem = $"the WAV fmt chunk is inconsistent (block align {header.BlockAlign} for {header.Channels} channels of 16 bits): " + Accepted;
            return false;
        }
        return TryLayout(header.Channels, header.SampleRate, bigEndian: false, header.DataOffset, header.DataLength, out layout, out problem);
    }

    /// <summary>Checks an <c>audio/L16</c> body with the rate and channels from its content type.</summary>
    public static bool TryReadL16(ReadOnlySpan<byte> body, int sampleRate, int channels, out PcmLayout layout, out string? problem) =>
        TryLayout(channels, sampleRate, bigEndian: true, 0, body.Length, out layout, out problem);

    /// <summary>Decodes checked PCM to 48 kHz mono. A trailing partial frame is dropped.</summary>
    public static short[] ToMono48k(ReadOnlySpan<byte> body, PcmLayout layout)
    {
        var frames = (int)layout.Frames;
        var data = body.Slice(layout.DataOffset, frames * layout.Channels * 2);
        var mono = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            var sum = 0;
            for (var c = 0; c < layout.Channels; c++)
            {
                var bytes = data.Slice((i * layout.Channels + c) * 2, 2);
                sum += layout.BigEndian ? BinaryPrimitives.ReadInt16BigEndian(bytes) : BinaryPrimitives.ReadInt16LittleEndian(bytes);
            }
            mono[i] = (short)(sum / layout.Channels);
        }
        if (layout.SampleRate == MediaFormat.AudioSampleRate) return mono;

        var resampler = new Resampler(layout.SampleRate, MediaFormat.AudioSampleRate);
        var output = new short[resampler.MaxOutputLength(mono.Length) + resampler.MaxOutputLength(0)];
        var written = resampler.Process(mono, output);
        written += resampler.Flush(output.AsSpan(written));
        return output.AsSpan(0, written).ToArray();
    }

    private static bool TryLayout(int channels, int sampleRate, bool bigEndian, int offset, int length, out PcmLayout layout, out string? problem)
    {
        layout = default;
        if (channels is not (1 or 2))
        {
            problem = $"the audio has {channels} channels; only mono or stereo is accepted: " + Accepted;
            return false;
        }
        if (sampleRate is < MinSampleRate or > MaxSampleRate)
        {
            problem = $"the audio's sample rate is {sampleRate} Hz; {MinSampleRate} to {MaxSampleRate} Hz is accepted: " + Accepted;
            return false;
        }
        if (MediaFormat.AudioSampleRate / Gcd(sampleRate, MediaFormat.AudioSampleRate) > MaxResamplerPhases)
        {
            // The polyphase resampler needs a small ratio; every rate in common use has one.
            problem = $"the audio's sample rate of {sampleRate} Hz is unusual; use a common rate such as 8000, 11025, 16000, 22050, 24000, 32000, 44100 or 48000 Hz: " + Accepted;
            return false;
        }
        if (length < channels * 2)
        {
            problem = "the audio holds no samples: " + Accepted;
            return false;
        }
        layout = new PcmLayout(channels, sampleRate, bigEndian, offset, length);
        problem = null;
        return true;
    }

    private const int MaxResamplerPhases = 4096;

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    private static string FormatName(int tag) => tag switch
    {
        2 => "ADPCM-compressed",
        3 => "IEEE float",
        6 => "A-law",
        7 => "mu-law",
        0x11 => "IMA ADPCM-compressed",
        0x55 => "MP3-compressed",
        _ => $"in format 0x{tag:X4}",
    };
}
