using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LiveHost.Media;
using LiveHost.TestSupport;
using Microsoft.Extensions.Logging;
using Xunit;
using Xunit.Abstractions;

namespace LiveHost.Rtmp.Tests;

/// <summary>Failure handling and shutdown of one output, without a media server.</summary>
public sealed class RtmpOutputLifecycleTests(ITestOutputHelper output)
{
    private static MediaBroadcaster NewBroadcaster() => new(new MediaFormat(320, 240, 25));

    private RtmpOutput NewOutput(string url, MediaBroadcaster source, RtmpOutputOptions options) =>
        new("t1", RtmpUrl.Parse(url), source, options with { Addresses = RtmpPublishIntegrationTests.LoopbackAllowed }, AigcLabel.ForNewProduction("test"),
            new TestOutputLoggerFactory(output).CreateLogger<RtmpOutput>(), TimeProvider.System);

    [Fact]
    public async Task Disposing_an_output_that_waits_in_a_long_backoff_returns_promptly_and_reports_stopped()
    {
        var source = NewBroadcaster();
        var options = new RtmpOutputOptions { BackoffMin = TimeSpan.FromSeconds(30), BackoffMax = TimeSpan.FromSeconds(30) };
        var rtmp = NewOutput($"rtmp://127.0.0.1:{FreePort.GetLoopbackTcpPort()}/live/k", source, options);
        rtmp.Start();
        await RtmpPublishIntegrationTests.WaitForAsync(() => rtmp.State == RtmpOutputState.Retrying, TimeSpan.FromSeconds(5));

        var clock = Stopwatch.StartNew();
        await rtmp.DisposeAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"dispose took {clock.Elapsed}");
        Assert.Equal(RtmpOutputState.Stopped, rtmp.State);
        Assert.Equal("stopped", rtmp.GetInfo().Status);
        Assert.Equal(0, source.SubscriberCount);
    }

    [Fact]
    public async Task A_server_that_accepts_tcp_but_never_answers_the_handshake_times_out_and_is_retried()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = new List<Socket>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true) accepted.Add(await silent.AcceptSocketAsync(stop.Token));
            }
            catch (OperationCanceledException)
            {
            }
        });

        var options = new RtmpOutputOptions { ConnectTimeout = TimeSpan.FromMilliseconds(700), BackoffMin = TimeSpan.FromMilliseconds(100), BackoffMax = TimeSpan.FromMilliseconds(200) };
        await using (var rtmp = NewOutput($"rtmp://127.0.0.1:{port}/live/k", NewBroadcaster(), options))
        {
            rtmp.Start();
            await RtmpPublishIntegrationTests.WaitForAsync(() => rtmp.LastError is not null && accepted.Count >= 2, TimeSpan.FromSeconds(5));
            Assert.Contains("did not finish within 0.7 s", rtmp.LastError, StringComparison.Ordinal);
            Assert.NotEqual(RtmpOutputState.Live, rtmp.State);
            Assert.Equal(0, rtmp.Connects);
        }
        await stop.CancelAsync();
        await accepting;
        foreach (var socket in accepted) socket.Dispose();
    }

    [Fact]
    public async Task Output_set_rejects_a_bad_url_with_the_parser_message_and_adds_nothing()
    {
        await using var outputs = new RtmpOutputSet(NewBroadcaster(), new RtmpOutputOptions(), new TestOutputLoggerFactory(output), TimeProvider.System);
        var error = Assert.Throws<ArgumentException>(() => outputs.Add("srt://127.0.0.1:9000/live/key"));
        Assert.Contains("rtmp or rtmps scheme", error.Message, StringComparison.Ordinal);
        Assert.Empty(outputs.List());
        Assert.False(outputs.Remove("rtmp-99"));
    }

    [Fact]
    public void Output_set_refuses_unusable_options()
    {
        var error = Assert.Throws<ArgumentException>(() => new RtmpOutputSet(
            NewBroadcaster(), new RtmpOutputOptions { BackoffMax = TimeSpan.FromMilliseconds(100) }, new TestOutputLoggerFactory(output), TimeProvider.System));
        Assert.Contains("BackoffMax must be at least BackoffMin", error.Message, StringComparison.Ordinal);
    }
}
