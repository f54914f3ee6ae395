using LiveHost.WebRtc.Rtp.Timing;

namespace LiveHost.WebRtc.Rtp.Tests;

public sealed class RtpStreamClockTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ntp_timestamp_counts_from_1900_and_round_trips()
    {
        var unixEpoch = NtpTimestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch);
        Assert.Equal(2_208_988_800u, unixEpoch.Seconds); // RFC 868 / RFC 5905: 70 years of seconds
        Assert.Equal(0u, unixEpoch.Fraction);
        var half = NtpTimestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddMilliseconds(500));
        Assert.Equal(0x8000_0000u, half.Fraction);
        Assert.Equal((2_208_988_800u << 16) | 0x8000u, half.Middle32);
        var time = new DateTimeOffset(2031, 12, 31, 23, 59, 59, 123, TimeSpan.Zero).AddTicks(4567);
        Assert.Equal(time, NtpTimestamp.FromDateTimeOffset(time).ToDateTimeOffset());
    }

    [Fact]
    public void Video_pts_maps_one_to_one_with_a_wrapping_offset_and_audio_counts_samples()
    {
        var video = RtpStreamClock.ForVideo(uint.MaxValue - 3599);
        Assert.Equal(uint.MaxValue - 3599, video.FromPts90k(0));
        Assert.Equal(0u, video.FromPts90k(3600));
        Assert.Equal(3600u, video.FromPts90k(7200));

        var audio = RtpStreamClock.ForAudio(1000);
        Assert.Equal(1000u + 960, audio.FromSamples48k(960));
        Assert.Equal(1000u + 1920, audio.FromPts90k(3600)); // 40 ms on either clock
    }

    [Fact]
    public void Random_initial_timestamps_differ()
    {
        var values = Enumerable.Range(0, 20).Select(_ => RtpStreamClock.RandomInitialTimestamp()).Distinct().Count();
        Assert.True(values > 15);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(123, 90_000 * 17)]
    [InlineData(7_777, 45)]
    public void Sender_reports_of_audio_and_video_map_the_same_media_time_to_the_same_ntp_time(int reportAfterMs, long anchorPts90k)
    {
        // What the browser does (RFC 3550 §6.4.1): NTP(rtp) = NTP_sr + (rtp − RTP_sr) / clock rate, per stream.
        var anchor = new RtpSyncAnchor(Start, anchorPts90k);
        var video = RtpStreamClock.ForVideo(0xF000_0000);
        var audio = RtpStreamClock.ForAudio(0x0000_1234);
        var reportAt = Start.AddMilliseconds(reportAfterMs);
        var (videoNtp, videoRtp) = video.SenderReportTimes(anchor, reportAt);
        var (audioNtp, audioRtp) = audio.SenderReportTimes(anchor, reportAt);
        Assert.Equal(NtpTimestamp.FromDateTimeOffset(reportAt), videoNtp);
        Assert.Equal(videoNtp, audioNtp);

        // A video frame and the audio frame that plays with it: the same media instant on both clocks.
        for (var frame = 0; frame < 500; frame += 37)
        {
            var pts = anchorPts90k + frame * 3600L;
            var samples = pts * 48_000 / 90_000;
            var videoSeconds = unchecked((int)(video.FromPts90k(pts) - videoRtp)) / 90_000.0;
            var audioSeconds = unchecked((int)(audio.FromSamples48k(samples) - audioRtp)) / 48_000.0;
            Assert.Equal(videoSeconds, audioSeconds, 5);
            // And that instant is where the anchor puts it on the wall clock.
            var wall = reportAt.AddTicks((long)Math.Round(videoSeconds * TimeSpan.TicksPerSecond));
            Assert.True(Math.Abs((wall - anchor.WallClockAt(pts)).TotalMilliseconds) < 0.1);
        }
    }
}
