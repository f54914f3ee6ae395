using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.Avatars.Packages;
using LiveHost.TestSupport;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>
/// A revoked likeness leaves RTMP too: the room's output to a real nginx-rtmp ends its publication (FCUnpublish,
/// deleteStream, then close) within 5 s of the revocation, and nothing publishes the room again.
/// </summary>
[Collection(AvatarHostCollection.Name)]
public sealed class ConsentStopsOutputsTests(SyntheticAvatarPackage package, ITestOutputHelper output)
{
    private const string StreamKey = "consent-room";

    [Fact]
    public async Task Revoking_the_consent_unpublishes_the_rooms_rtmp_stream_within_5_seconds_and_it_never_comes_back()
    {
        await using var notifications = new RtmpNotifyListener();
        await using var nginx = await NginxRtmpServer.StartNewAsync(notifications.Url);
        var revocations = package.NewRevocationList();
        var settings = package.Settings(revocations);
        settings["Rooms:main:Outputs:0:Url"] = nginx.RtmpUrl(StreamKey);
        settings["Outputs:AllowPrivateNetworks"] = "true";
        await using var host = new AvatarTestHost(settings);
        host.Start();
        await notifications.WaitForAsync("publish", StreamKey, TimeSpan.FromSeconds(30));

        var revokedAt = Stopwatch.GetTimestamp();
        ConsentRevocationList.Write(revocations,
            [new ConsentRevocationList.RevocationEntry { ConsentId = SyntheticAvatarPackage.ConsentId, Reason = "the subject withdrew consent" }]);

        var gone = await notifications.WaitForAsync("publish_done", StreamKey, TimeSpan.FromSeconds(10));
        var after = Stopwatch.GetElapsedTime(revokedAt, gone.ReceivedAt);
        output.WriteLine($"nginx ended the stream {after.TotalMilliseconds:F0} ms after the revocation was written");
        Assert.True(after < TimeSpan.FromSeconds(5), $"the stream was still published {after.TotalSeconds:F1} s after the revocation");

        // Unpublished, not merely dropped: nginx saw our deleteStream before the connection closed. (On a bare close it
        // logs "disconnect" first and then deletes the stream itself.) StopAsync completes once the outputs have closed.
        await host.Room.StopAsync(host.Room.StoppedReason!).WaitAsync(TimeSpan.FromSeconds(10));
        var log = await File.ReadAllLinesAsync(nginx.ErrorLogPath);
        var publisher = log.Single(l => l.Contains($"publish: name='{StreamKey}'", StringComparison.Ordinal)).Split(' ')[4];
        var ours = log.Where(l => l.Contains(publisher + " ", StringComparison.Ordinal)).ToArray();
        output.WriteLine(string.Join('\n', ours));
        var deleted = Array.FindIndex(ours, l => l.Contains(" deleteStream", StringComparison.Ordinal));
        var disconnected = Array.FindIndex(ours, l => l.Contains(" disconnect", StringComparison.Ordinal));
        // nginx may not have logged the close yet when we read; a bare close never logs deleteStream before it.
        Assert.True(deleted >= 0 && (disconnected < 0 || disconnected > deleted), "the publisher closed its connection without deleteStream");

        // The output stays listed as stopped (one connection, never retried), and a new one is refused, saying why.
        using var client = host.Client();
        var listed = JsonDocument.Parse(await client.GetStringAsync("/api/rooms/main/outputs")).RootElement;
        var only = Assert.Single(listed.EnumerateArray());
        Assert.Equal("stopped", only.GetProperty("status").GetString());
        Assert.Equal(1, only.GetProperty("connects").GetInt64());
        using var added = await client.PostAsJsonAsync("/api/rooms/main/outputs", new { url = nginx.RtmpUrl("another") });
        var body = await added.Content.ReadAsStringAsync();
        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, added.StatusCode);
        Assert.Contains("is stopped and takes no outputs", body, StringComparison.Ordinal);
        Assert.Contains("the subject withdrew consent", body, StringComparison.Ordinal);
        Assert.Single(await File.ReadAllLinesAsync(nginx.ErrorLogPath), l => l.Contains(" publish: name=", StringComparison.Ordinal));
    }
}
