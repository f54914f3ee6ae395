using System.Net.Http.Json;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace LiveHost.Host.Tests;

public sealed class EndToEndRtmpTests
{
    [Fact]
    public async Task A_line_sent_over_REST_is_spoken_and_pushed_live_over_RTMP_as_h264_and_aac()
    {
        await using var nginx = await NginxRtmpServer.StartNewAsync();
        var data = Directory.CreateTempSubdirectory("livehost-e2e-").FullName;
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", data);
            b.UseSetting("Rooms:main:Width", "320");
            b.UseSetting("Rooms:main:Height", "240");
            b.UseSetting("Rooms:main:Outputs:0:Url", nginx.RtmpUrl("main"));
            b.UseSetting("Auth:Keys:0:Key", "test-admin-key-0123456789");
            b.UseSetting("Auth:Keys:0:Role", "admin");
            b.UseSetting("Auth:Keys:0:Name", "test");
        });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "test-admin-key-0123456789");

        var idleAudio = await FfmpegTools.PullAudioAsync(nginx.RtmpUrl("main"), 2);
        var post = await client.PostAsJsonAsync("/api/rooms/main/lines", new { text = "Welcome to the show. Today we have three great products for you." });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, post.StatusCode);
        var speechAudio = await FfmpegTools.PullAudioAsync(nginx.RtmpUrl("main"), 3);
        var probe = await FfmpegTools.ProbeAsync(nginx.RtmpUrl("main"), TimeSpan.FromSeconds(15));

        Assert.Contains(probe.Streams, s => s.CodecName == "h264" && s.Width == 320 && s.Height == 240);
        Assert.Contains(probe.Streams, s => s.CodecName == "aac");
        Assert.True(FfmpegTools.Rms(speechAudio) > 4 * Math.Max(FfmpegTools.Rms(idleAudio), 0.001),
            $"speech RMS {FfmpegTools.Rms(speechAudio)} vs idle RMS {FfmpegTools.Rms(idleAudio)}");
        var bad = await client.PostAsJsonAsync("/api/rooms/main/lines", new { text = "" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
