using System.Diagnostics;
using LiveHost.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace LiveHost.Rtmp.Tests;

/// <summary>
/// rtmps:// end to end: nginx's stream module terminates TLS (a certificate from a CA the test makes) in front of a
/// real nginx-rtmp, which relays the stream to ffprobe and tells the test when a publication starts.
/// </summary>
[Collection(NginxCollection.Name)]
public sealed class RtmpsPublishIntegrationTests(SyntheticStreamFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(20);

    private static RtmpOutputOptions FastOptions => new()
    {
        BackoffMin = TimeSpan.FromMilliseconds(250),
        BackoffMax = TimeSpan.FromSeconds(1),
        Addresses = RtmpPublishIntegrationTests.LoopbackAllowed,
    };

    [Fact]
    public async Task Rtmps_output_with_the_servers_ca_trusted_publishes_h264_and_aac_through_the_tls_front()
    {
        await using var notifications = new RtmpNotifyListener();
        await using var nginx = await NginxRtmpServer.StartNewAsync(notifications.Url);
        using var authority = TestCertificateAuthority.Create();
        await using var tls = await NginxTlsProxy.StartNewAsync(nginx.Port, authority);
        await using var clip = new PlayingClip(fixture.Stream);
        var broadcaster = clip.Broadcaster;
        await using (var outputs = new RtmpOutputSet(broadcaster, FastOptions, new TestOutputLoggerFactory(output), TimeProvider.System))
        {
            // The CA inline, as PEM text (a path works the same; see RtmpTlsTrustTests).
            var info = outputs.Add(tls.RtmpsUrl("secure"), RtmpTlsTrust.FromPem(authority.CaPem));
            Assert.StartsWith($"rtmps://127.0.0.1:{tls.Port}/live/", info.Url, StringComparison.Ordinal);
            Assert.DoesNotContain("secure", info.Url, StringComparison.Ordinal);
            await notifications.WaitForAsync("publish", "secure", PublishTimeout);

            var probe = await FfmpegTools.ProbeAsync(nginx.RtmpUrl("secure"), PublishTimeout);
            output.WriteLine(probe.Json);
            Assert.Equal("h264", probe.Video?.CodecName);
            Assert.Equal("aac", probe.Audio?.CodecName);
            Assert.True(probe.FormatTags.ContainsKey("AIGC"), "the AIGC label did not survive the TLS hop");
            var listed = outputs.Get(info.Id)!;
            Assert.Equal(("live", 1L, (string?)null), (listed.Status, listed.Connects, listed.LastError));
            Assert.True(listed.BytesSent > 0);
        }
    }

    [Fact]
    public async Task Rtmps_output_refuses_a_certificate_no_trusted_ca_signed_and_says_why_in_its_last_error()
    {
        await using var notifications = new RtmpNotifyListener();
        await using var nginx = await NginxRtmpServer.StartNewAsync(notifications.Url);
        using var authority = TestCertificateAuthority.Create();
        using var stranger = TestCertificateAuthority.Create("Some Other CA");
        await using var tls = await NginxTlsProxy.StartNewAsync(nginx.Port, authority);
        await using var clip = new PlayingClip(fixture.Stream);
        var broadcaster = clip.Broadcaster;
        await using (var outputs = new RtmpOutputSet(broadcaster, FastOptions, new TestOutputLoggerFactory(output), TimeProvider.System))
        {
            // The system's roots do not hold the test CA; neither does a trustedCa naming another CA.
            var system = outputs.Add(tls.RtmpsUrl("untrusted"));
            var other = outputs.Add(tls.RtmpsUrl("wrong-ca"), RtmpTlsTrust.FromPem(stranger.CaPemPath));
            await RtmpPublishIntegrationTests.WaitForChangeAsync(outputs,
                () => outputs.Get(system.Id)!.LastError is not null && outputs.Get(other.Id)!.LastError is not null, TimeSpan.FromSeconds(15));

            var refused = outputs.Get(system.Id)!;
            output.WriteLine(refused.LastError);
            Assert.StartsWith($"TLS certificate of 127.0.0.1:{tls.Port} refused: the certificate chain is not trusted", refused.LastError, StringComparison.Ordinal);
            Assert.EndsWith("(checked against the system's trusted CAs)", refused.LastError, StringComparison.Ordinal);
            var wrong = outputs.Get(other.Id)!;
            output.WriteLine(wrong.LastError);
            Assert.Contains("the certificate chain is not trusted", wrong.LastError, StringComparison.Ordinal);
            Assert.EndsWith("(checked against the output's trustedCa)", wrong.LastError, StringComparison.Ordinal);
            foreach (var info in new[] { refused, wrong })
            {
                Assert.NotEqual("live", info.Status);
                Assert.Equal(0, info.Connects);
                Assert.Equal(0, info.BytesSent);
            }
        }

        // Not one byte of RTMP got through: nginx-rtmp never saw a publication.
        var log = await File.ReadAllTextAsync(nginx.ErrorLogPath);
        Assert.DoesNotContain("publish: name='untrusted'", log, StringComparison.Ordinal);
        Assert.DoesNotContain("publish: name='wrong-ca'", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rtmps_output_publishes_again_within_5_seconds_after_the_tls_front_is_killed_and_restarted()
    {
        await using var notifications = new RtmpNotifyListener();
        await using var nginx = await NginxRtmpServer.StartNewAsync(notifications.Url);
        using var authority = TestCertificateAuthority.Create();
        await using var tls = await NginxTlsProxy.StartNewAsync(nginx.Port, authority);
        await using var clip = new PlayingClip(fixture.Stream);
        var broadcaster = clip.Broadcaster;
        await using (var outputs = new RtmpOutputSet(broadcaster, FastOptions, new TestOutputLoggerFactory(output), TimeProvider.System))
        {
            var id = outputs.Add(tls.RtmpsUrl("phoenix"), RtmpTlsTrust.FromPem(authority.CaPemPath)).Id;
            await notifications.WaitForAsync("publish", "phoenix", PublishTimeout);

            await tls.StopAsync();
            // nginx-rtmp sees its upstream connection close: the publication is over.
            await notifications.WaitForAsync("publish_done", "phoenix", PublishTimeout);
            await tls.StartAsync();
            var restarted = Stopwatch.GetTimestamp();
            var again = await notifications.WaitForAsync("publish", "phoenix", PublishTimeout);
            var back = Stopwatch.GetElapsedTime(restarted, again.ReceivedAt);
            output.WriteLine($"published again {back.TotalSeconds:0.00} s after the TLS front restarted; {outputs.Get(id)}");
            Assert.True(back < TimeSpan.FromSeconds(5), $"took {back.TotalSeconds:0.0} s");
            Assert.True(outputs.Get(id)!.Reconnects >= 1);
        }
    }
}
