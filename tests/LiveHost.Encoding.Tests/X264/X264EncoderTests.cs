using System.Buffers.Binary;
using LiveHost.Media.Codecs;
using LiveHost.Encoding.Tests.Fixtures;
using LiveHost.Encoding.X264;
using LiveHost.Media;
using LiveHost.TestSupport;

namespace LiveHost.Encoding.Tests.X264;

/// <summary>libx264 in process (Debian's libx264.so.164), decoded back with the real ffmpeg where the pixels matter.</summary>
public sealed class X264EncoderTests(ITestOutputHelper output)
{
    private static readonly MediaFormat Format = new(320, 240, 25);

    [Fact]
    public void Parameter_sets_describe_constrained_baseline_at_the_room_size()
    {
        using var encoder = new X264Encoder(Format, new EncoderOptions());
        var config = encoder.Config;
        Assert.Equal(66, config.ProfileIdc);
        Assert.True((config.ConstraintFlags & 0x40) != 0, $"constraint_set1 must be set, flags 0x{config.ConstraintFlags:x2}");
        Assert.True(H264SequenceParameterSet.TryParse(config.Sps, out var sps));
        Assert.Equal((320, 240), (sps.Width, sps.Height));
        Assert.True(AvcDecoderConfiguration.TryParse(config.DecoderConfigurationRecord, out var record));
        Assert.Equal(4, record!.NalLengthSize);
        Assert.Equal(config.Sps, record.Sps);
        Assert.Equal(config.Pps, record.Pps);
    }

    [Fact]
    public void X264Params_are_applied_after_the_preset_and_an_unknown_one_is_refused_by_name()
    {
        using (var tuned = new X264Encoder(Format, new EncoderOptions { X264Params = "subme=0:me=dia" }))
        {
            Assert.Equal(66, tuned.Config.ProfileIdc);
        }
        var refused = Assert.Throws<InvalidOperationException>(() => new X264Encoder(Format, new EncoderOptions { X264Params = "me=dia:no-such-option=1" }));
        Assert.Contains("no-such-option=1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forced_frame_is_an_idr_and_the_gop_keeps_its_two_second_rhythm()
    {
        using var encoder = new X264Encoder(Format, new EncoderOptions());
        var frame = new byte[Format.FrameBytes];
        var idrs = new List<long>();
        for (var i = 0L; i < 120; i++)
        {
            SyntheticTestPattern.DrawMovingGradient(frame, Format.Width, Format.Height, i);
            var picture = encoder.Encode(frame, i, forceIdr: i == 17);
            Assert.Equal(i, picture.FrameIndex);
            Assert.True(AvccNalReader.TryInspect(picture.Data, out var info), $"frame {i} has bad NAL lengths");
            Assert.Equal(picture.IsIdr, info.HasIdrSlice);
            Assert.NotEqual(info.HasIdrSlice, info.HasNonIdrSlice);
            if (picture.IsIdr) idrs.Add(i);
        }
        output.WriteLine($"IDR frames: {string.Join(", ", idrs)}");
        // x264 counts its GOP from the last IDR, forced or not: 0, the forced 17, then every 50 frames after it.
        Assert.Equal(new long[] { 0, 17, 67, 117 }, idrs);
    }

    [Fact]
    public void An_unknown_preset_is_refused_with_its_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new X264Encoder(Format, new EncoderOptions { Preset = "nosuchpreset" }));
        Assert.Contains("nosuchpreset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disposed_encoder_refuses_frames()
    {
        var encoder = new X264Encoder(Format, new EncoderOptions());
        encoder.Dispose();
        encoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(new byte[Format.FrameBytes], 0, false));
    }

    [Fact]
    public void A_short_frame_is_refused_and_the_encoder_goes_on()
    {
        using var encoder = new X264Encoder(Format, new EncoderOptions());
        Assert.Throws<ArgumentException>(() => encoder.Encode(new byte[100], 0, false));
        Assert.True(encoder.Encode(new byte[Format.FrameBytes], 0, false).IsIdr);
    }

    [Theory]
    [InlineData(255, 0, 0)]
    [InlineData(0, 255, 0)]
    [InlineData(0, 0, 255)]
    [InlineData(255, 255, 255)]
    [InlineData(40, 40, 40)]
    [InlineData(200, 120, 60)]
    public async Task Colours_come_back_from_ffmpeg_as_they_went_in(int r, int g, int b)
    {
        using var encoder = new X264Encoder(Format, new EncoderOptions());
        var frame = new byte[Format.FrameBytes];
        for (var p = 0; p < frame.Length; p += 4) (frame[p], frame[p + 1], frame[p + 2], frame[p + 3]) = ((byte)b, (byte)g, (byte)r, 255);

        var annexB = new MemoryStream();
        WriteAnnexB(annexB, encoder.Config.Sps);
        WriteAnnexB(annexB, encoder.Config.Pps);
        for (var i = 0; i < 5; i++)
        {
            var data = encoder.Encode(frame, i, false).Data;
            for (var at = 0; at < data.Length;)
            {
                var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
                WriteAnnexB(annexB, data.AsSpan(at + 4, length));
                at += 4 + length;
            }
        }
        var path = Path.Combine(Path.GetTempPath(), $"livehost-x264-{Guid.NewGuid():N}.h264");
        try
        {
            await File.WriteAllBytesAsync(path, annexB.ToArray());
            var (exitCode, rgb, stderr) = await ExternalTool.RunAsync("ffmpeg",
                ["-hide_banner", "-loglevel", "error", "-f", "h264", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], TimeSpan.FromSeconds(20));
            Assert.True(exitCode == 0, stderr);
            Assert.Equal(5 * Format.Width * Format.Height * 3, rgb.Length);
            var last = rgb.AsSpan(4 * Format.Width * Format.Height * 3);
            double sr = 0, sg = 0, sb = 0;
            for (var p = 0; p < last.Length; p += 3) (sr, sg, sb) = (sr + last[p], sg + last[p + 1], sb + last[p + 2]);
            var n = last.Length / 3.0;
            output.WriteLine($"in ({r},{g},{b}) out ({sr / n:F1},{sg / n:F1},{sb / n:F1})");
            Assert.InRange(sr / n, r - 4, r + 4);
            Assert.InRange(sg / n, g - 4, g + 4);
            Assert.InRange(sb / n, b - 4, b + 4);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void WriteAnnexB(Stream stream, ReadOnlySpan<byte> nal)
    {
        stream.Write([0, 0, 0, 1]);
        stream.Write(nal);
    }
}
