using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using LiveHost.Media;

namespace LiveHost.TestSupport;

/// <summary>
/// TEST FIXTURE, not production code. A few seconds of real H.264 + AAC made once by the ffmpeg CLI
/// (libx264 baseline, no B-frames, 2 s GOP, 25 fps, 320x240 testsrc; AAC 48 kHz mono 440 Hz sine), cut into
/// <see cref="EncodedFrame"/>s exactly as LiveHost's encoder hands them out (AVCC video, raw AAC audio),
/// with the matching <see cref="H264Config"/> and <see cref="AacConfig"/>. <see cref="PublishAsync"/> plays it into a
/// <see cref="MediaBroadcaster"/> in real time, looping with ever-increasing timestamps.
/// </summary>
public sealed class SyntheticStream
{
    public const int Width = 320;
    public const int Height = 240;
    public const int FramesPerSecond = 25;
    public const int SampleRate = 48_000;
    public const int SineFrequency = 440;
    public const int AacFrameSamples = 1024;

    private SyntheticStream(H264Config video, AacConfig audio, IReadOnlyList<Sample> samples, long loopLength90k)
    {
        VideoConfig = video;
        AudioConfig = audio;
        Samples = samples;
        LoopLength90k = loopLength90k;
    }

    /// <summary>One frame of the loop, in presentation order, before any loop offset.</summary>
    public sealed record Sample(MediaKind Kind, long Pts90k, bool IsKeyframe, byte[] Data);

    public H264Config VideoConfig { get; }
    public AacConfig AudioConfig { get; }
    public IReadOnlyList<Sample> Samples { get; }
    public long LoopLength90k { get; }

    public MediaFormat Format => new(Width, Height, FramesPerSecond);

    public int VideoFrameCount => Samples.Count(s => s.Kind == MediaKind.Video);

    /// <summary>Encodes the clip with ffmpeg (about a second of CPU) in a temp folder it removes afterwards.</summary>
    public static async Task<SyntheticStream> CreateAsync(double seconds = 4, CancellationToken cancellationToken = default)
    {
        var folder = Directory.CreateTempSubdirectory("livehost-synthetic-").FullName;
        try
        {
            var duration = seconds.ToString("0.###", CultureInfo.InvariantCulture);
            var videoPath = Path.Combine(folder, "video.h264");
            var audioPath = Path.Combine(folder, "audio.aac");
            var gop = (2 * FramesPerSecond).ToString(CultureInfo.InvariantCulture);
            await RunFfmpegAsync(
                ["-f", "lavfi", "-i", $"testsrc=size={Width}x{Height}:rate={FramesPerSecond}", "-t", duration,
                 "-c:v", "libx264", "-profile:v", "baseline", "-bf", "0", "-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
                 "-pix_fmt", "yuv420p", "-preset", "veryfast", "-threads", "1", "-f", "h264", videoPath], cancellationToken);
            await RunFfmpegAsync(
                ["-f", "lavfi", "-i", $"sine=frequency={SineFrequency}:sample_rate={SampleRate}", "-t", duration,
                 "-ac", "1", "-c:a", "aac", "-b:a", "64k", "-f", "adts", audioPath], cancellationToken);
            return Build(await File.ReadAllBytesAsync(videoPath, cancellationToken), await File.ReadAllBytesAsync(audioPath, cancellationToken), seconds);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static SyntheticStream Build(byte[] annexB, byte[] adts, double seconds)
    {
        byte[]? sps = null;
        byte[]? pps = null;
        var pictures = new List<(bool Keyframe, List<ArraySegment<byte>> Units)>();
        foreach (var unit in AnnexBReader.SplitNalUnits(annexB))
        {
            if (unit.Count == 0) continue;
            var type = unit[0] & 0x1F;
            switch (type)
            {
                case 7: sps ??= unit.ToArray(); break;
                case 8: pps ??= unit.ToArray(); break;
                case 1 or 5:
                    // first_mb_in_slice == 0 (ue(v) "1" bit) opens a new picture.
                    var firstSlice = unit.Count > 1 && (unit[1] & 0x80) != 0;
                    if (firstSlice || pictures.Count == 0) pictures.Add((type == 5, []));
                    pictures[^1].Units.Add(unit);
                    break;
                default:
                    break; // SEI, AUD: not needed by a decoder that has the parameter sets out of band
            }
        }
        if (sps is null || pps is null) throw new InvalidDataException("the H.264 stream has no SPS/PPS");

        var samples = new List<Sample>();
        for (var i = 0; i < pictures.Count; i++)
        {
            var (keyframe, units) = pictures[i];
            var avcc = new byte[units.Sum(u => 4 + u.Count)];
            var offset = 0;
            foreach (var unit in units)
            {
                BinaryPrimitives.WriteInt32BigEndian(avcc.AsSpan(offset), unit.Count);
                unit.AsSpan().CopyTo(avcc.AsSpan(offset + 4));
                offset += 4 + unit.Count;
            }
            samples.Add(new Sample(MediaKind.Video, (long)i * MediaFormat.Clock90k / FramesPerSecond, keyframe, avcc));
        }
        var loopLength = (long)pictures.Count * MediaFormat.Clock90k / FramesPerSecond;

        var audio = AdtsReader.Parse(adts);
        var audioFrame90k = (long)AacFrameSamples * MediaFormat.Clock90k / audio.SampleRate;
        for (var i = 0; i < audio.Frames.Count && i * audioFrame90k < loopLength; i++)
        {
            samples.Add(new Sample(MediaKind.Audio, i * audioFrame90k, true, audio.Frames[i]));
        }
        samples.Sort((a, b) => a.Pts90k != b.Pts90k ? a.Pts90k.CompareTo(b.Pts90k) : a.Kind.CompareTo(b.Kind));

        var h264 = new H264Config(sps, pps, BuildDecoderConfigurationRecord(sps, pps), Width, Height);
        var aac = new AacConfig(audio.AudioSpecificConfig, audio.SampleRate, audio.Channels);
        return new SyntheticStream(h264, aac, samples, loopLength);
    }

    /// <summary>AVCDecoderConfigurationRecord (ISO 14496-15, 5.2.4.1) with one SPS and one PPS, 4-byte lengths.</summary>
    public static byte[] BuildDecoderConfigurationRecord(byte[] sps, byte[] pps)
    {
        var record = new byte[11 + sps.Length + pps.Length];
        record[0] = 1;
        record[1] = sps[1];
        record[2] = sps[2];
        record[3] = sps[3];
        record[4] = 0xFF; // 6 reserved bits + lengthSizeMinusOne = 3
        record[5] = 0xE1; // 3 reserved bits + one SPS
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(6), (ushort)sps.Length);
        sps.CopyTo(record, 8);
        record[8 + sps.Length] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(9 + sps.Length), (ushort)pps.Length);
        pps.CopyTo(record, 11 + sps.Length);
        return record;
    }

    /// <summary>
    /// Sets the configs on the broadcaster and publishes the clip at real-time pace (loop n is offset by
    /// n * <see cref="LoopLength90k"/>) until cancelled; returns normally on cancellation.
    /// </summary>
    public async Task PublishAsync(MediaBroadcaster broadcaster, CancellationToken cancellationToken, TimeProvider? timeProvider = null)
    {
        timeProvider ??= TimeProvider.System;
        broadcaster.SetVideoConfig(VideoConfig);
        broadcaster.SetAudioConfig(AudioConfig);
        var started = timeProvider.GetTimestamp();
        try
        {
            for (long loop = 0; ; loop++)
            {
                foreach (var sample in Samples)
                {
                    var pts = sample.Pts90k + (loop * LoopLength90k);
                    var due = TimeSpan.FromMilliseconds(pts / 90.0) - timeProvider.GetElapsedTime(started);
                    if (due > TimeSpan.Zero) await Task.Delay(due, timeProvider, cancellationToken);
                    broadcaster.Publish(new EncodedFrame(sample.Kind, pts, sample.IsKeyframe, sample.Data, Stopwatch.GetTimestamp()));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task RunFfmpegAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, _, stderr) = await FfmpegTools.RunAsync(
            "ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. arguments], TimeSpan.FromSeconds(60), cancellationToken);
        if (exitCode != 0) throw new InvalidOperationException($"ffmpeg failed ({exitCode}): {stderr.Trim()}");
    }
}
