using System.Globalization;
using LiveHost.Media.Codecs;
using LiveHost.TestSupport;

namespace LiveHost.Media.Tests.Codecs;

public sealed class H264SequenceParameterSetTests
{
    internal static byte[] BaselineSps(uint widthInMbs, uint heightInMbs, (uint Left, uint Right, uint Top, uint Bottom)? crop = null)
    {
        var w = new BitWriter()
            .Bits(66, 8).Bits(0xC0, 8).Bits(30, 8) // profile, constraint_set0+1, level 3.0
            .Ue(0) // seq_parameter_set_id
            .Ue(0) // log2_max_frame_num_minus4
            .Ue(2) // pic_order_cnt_type
            .Ue(1) // max_num_ref_frames
            .Flag(false) // gaps
            .Ue(widthInMbs - 1).Ue(heightInMbs - 1)
            .Flag(true) // frame_mbs_only
            .Flag(true); // direct_8x8_inference
        if (crop is { } c) w.Flag(true).Ue(c.Left).Ue(c.Right).Ue(c.Top).Ue(c.Bottom);
        else w.Flag(false);
        w.Flag(false); // vui_parameters_present
        return w.ToNal(0x67);
    }

    [Fact]
    public void ParsesAHandMadeConstrainedBaselineSps()
    {
        Assert.True(H264SequenceParameterSet.TryParse(BaselineSps(20, 15), out var sps));
        Assert.Equal(new H264SequenceParameterSet(66, 0xC0, 30, 320, 240), sps);
        Assert.True(sps.IsConstrainedBaseline);
    }

    [Fact]
    public void AppliesFrameCroppingIn420ChromaUnits()
    {
        // 1920x1080 is coded as 120x68 macroblocks (1088 lines) with 4 crop units (8 lines) off the bottom.
        Assert.True(H264SequenceParameterSet.TryParse(BaselineSps(120, 68, (0, 0, 0, 4)), out var sps));
        Assert.Equal(1920, sps.Width);
        Assert.Equal(1080, sps.Height);
    }

    [Fact]
    public void RejectsWhatIsNotAnSps()
    {
        var pps = BaselineSps(20, 15);
        pps[0] = 0x68;
        Assert.False(H264SequenceParameterSet.TryParse(pps, out _));
        Assert.False(H264SequenceParameterSet.TryParse(BaselineSps(20, 15).AsSpan(0, 5), out _));
    }

    [Theory]
    [InlineData("baseline", "yuv420p", 200, 120, 66)]
    [InlineData("high", "yuv420p", 200, 120, 100)]
    [InlineData("main", "yuv420p", 352, 288, 77)]
    [InlineData("high444", "yuv444p", 202, 118, 244)]
    public async Task ReadsProfileAndCroppedSizeOfSpsWrittenByX264(string profile, string pixelFormat, int width, int height, int profileIdc)
    {
        var args = new[]
        {
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc=size={width}x{height}:rate=25"),
            "-frames:v", "1", "-pix_fmt", pixelFormat, "-c:v", "libx264", "-profile:v", profile, "-f", "h264", "-",
        };
        var (exitCode, stdout, stderr) = await ExternalTool.RunAsync("ffmpeg", args, TimeSpan.FromSeconds(20));
        Assert.True(exitCode == 0, stderr);

        var spsNal = AnnexB.Split(stdout).First(nal => H264Nal.IsSps(nal));
        Assert.True(H264SequenceParameterSet.TryParse(spsNal, out var sps));
        Assert.Equal(profileIdc, sps.ProfileIdc);
        Assert.Equal(width, sps.Width);
        Assert.Equal(height, sps.Height);
    }
}

/// <summary>Splits an Annex-B byte stream on its start codes (tests only: production never sees Annex-B).</summary>
internal static class AnnexB
{
    public static List<byte[]> Split(byte[] stream)
    {
        var starts = new List<int>();
        for (var i = 0; i + 3 <= stream.Length; i++)
        {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1)
            {
                starts.Add(i + 3);
                i += 2;
            }
        }
        var nals = new List<byte[]>();
        for (var n = 0; n < starts.Count; n++)
        {
            var end = n + 1 < starts.Count ? starts[n + 1] - 3 : stream.Length;
            while (end > starts[n] && stream[end - 1] == 0) end--; // the zero of a 4-byte start code
            nals.Add(stream[starts[n]..end]);
        }
        return nals;
    }
}
