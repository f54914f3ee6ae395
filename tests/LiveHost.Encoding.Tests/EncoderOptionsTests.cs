using LiveHost.Encoding.Ffmpeg;
using LiveHost.Media;

namespace LiveHost.Encoding.Tests;

public sealed class EncoderOptionsTests
{
    [Fact]
    public void DefaultsAreValidAndMatchTheDocumentedValues()
    {
        var options = new EncoderOptions();
        Assert.Null(options.Validate());
        Assert.Equal(("superfast", 1, "partitions=none", 2500, 2500, 2500, 8, 128, "fast"), (options.Preset, options.Threads, options.X264Params, options.VideoBitrateKbps, options.VideoMaxRateKbps, options.VideoBufferSizeKbits, options.VideoQueueCapacity, options.AudioBitrateKbps, options.AacCoder));
        Assert.True(options.SkipUnchangedMacroblocks);
    }

    public static TheoryData<Action<EncoderOptions>, string> BadOptions => new()
    {
        { o => o.Preset = "very fast; rm", "preset" },
        { o => o.VideoBitrateKbps = 10, "video bitrate" },
        { o => o.VideoMaxRateKbps = 1000, "max rate" },
        { o => o.Threads = -1, "threads" },
        { o => o.X264Params = "subme 2", "x264 params" },
        { o => o.X264Params = "me=dia;rm -rf", "x264 params" },
        { o => o.X264Params = "me=", "x264 params" },
        { o => o.VideoQueueCapacity = 0, "queue capacity" },
        { o => o.AudioBitrateKbps = 1000, "audio bitrate" },
        { o => o.AacCoder = "twoloop -f null", "AAC coder" },
        { o => o.AacCoder = "", "AAC coder" },
        { o => o.RestartBackoff = TimeSpan.FromMinutes(5), "restart backoff" },
        { o => o.ShutdownTimeout = TimeSpan.Zero, "shutdown timeout" },
        { o => o.StartTimeout = TimeSpan.Zero, "start timeout" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void ValidateNamesWhatIsWrong(Action<EncoderOptions> spoil, string expected)
    {
        var options = new EncoderOptions();
        spoil(options);
        Assert.Contains(expected, options.Validate(), StringComparison.Ordinal);
        var error = Assert.Throws<ArgumentException>(() => new RoomEncoder(new MediaFormat(320, 240, 25), options, new Microsoft.Extensions.Logging.Abstractions.NullLogger<RoomEncoder>(), TimeProvider.System));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(25, "-g 50 -keyint_min 50")]
    [InlineData(30, "-g 60 -keyint_min 60")]
    public void H264ArgumentsAskForConstrainedBaselineZeroLatencyAndATwoSecondGop(int fps, string gop)
    {
        var arguments = FfmpegCommandLine.H264Output(new MediaFormat(320, 240, fps), new EncoderOptions { Threads = 2, X264Params = "" });
        foreach (var expected in new[] { gop, "-c:v libx264", "-preset superfast", "-tune zerolatency", "-profile:v baseline", "-bf 0", "-sc_threshold 0", "-pix_fmt yuv420p", "-b:v 2500k -maxrate 2500k -bufsize 2500k", "-threads 2", "-flush_packets 1" })
        {
            Assert.Contains(expected, arguments, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("-threads", FfmpegCommandLine.H264Output(new MediaFormat(320, 240, fps), new EncoderOptions { Threads = 0 }), StringComparison.Ordinal);
        Assert.DoesNotContain("-x264-params", arguments, StringComparison.Ordinal);
        Assert.Contains("-threads 1 -x264-params subme=2:me=dia", FfmpegCommandLine.H264Output(new MediaFormat(320, 240, fps), new EncoderOptions { X264Params = "subme=2:me=dia" }), StringComparison.Ordinal);
        Assert.Contains("-threads 1 -x264-params partitions=none", FfmpegCommandLine.H264Output(new MediaFormat(320, 240, fps), new EncoderOptions()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("twoloop")]
    public void AacArgumentsNameTheConfiguredCoder(string coder)
    {
        var arguments = FfmpegCommandLine.AacOutput(new EncoderOptions { AacCoder = coder });
        Assert.Contains($"-c:a aac -aac_coder {coder} -b:a 128k", arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void FindsFfmpegOnPathOrReportsWhereItLooked()
    {
        var folder = FfmpegLocator.FindFolder(null);
        Assert.True(File.Exists(Path.Combine(folder, "ffmpeg")));
        var missing = Assert.Throws<FileNotFoundException>(() => FfmpegLocator.FindFolder(Path.GetTempPath()));
        Assert.Contains(Path.GetTempPath(), missing.Message, StringComparison.Ordinal);
    }
}
