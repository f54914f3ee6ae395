using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LiveHost.Media;
using LiveHost.Rtmp;
using LiveHost.Rtmp.Network;
using LiveHost.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Xunit.Abstractions;

namespace LiveHost.Srt.Tests;

public sealed class SyntheticStreamFixture : IAsyncLifetime
{
    public SyntheticStream Stream { get; private set; } = null!;
    public async Task InitializeAsync() => Stream = await SyntheticStream.CreateAsync(4);
    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>SRT end to end: ffmpeg listens (<c>srt://127.0.0.1:port?mode=listener</c>), records what arrives, ffprobe decodes it.</summary>
public sealed class SrtOutputIntegrationTests(SyntheticStreamFixture fixture, ITestOutputHelper output) : IClassFixture<SyntheticStreamFixture>
{
    private static readonly RtmpOutputOptions Options = new()
    {
        BackoffMin = TimeSpan.FromMilliseconds(250),
        BackoffMax = TimeSpan.FromSeconds(1),
        SendStallTimeout = TimeSpan.FromSeconds(2),
        ConnectTimeout = TimeSpan.FromSeconds(3),
        Addresses = new OutputAddressPolicy(new OutputNetworkOptions { AllowPrivateNetworks = true }),
    };

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>ffmpeg as SRT listener, copying <paramref name="seconds"/> of what arrives into a TS file.</summary>
    private static Process Listen(int port, string file, double seconds, string? passphrase = null)
    {
        var url = $"srt://127.0.0.1:{port}?mode=listener&latency=120000" + (passphrase is null ? "" : $"&passphrase={passphrase}");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-v", "error", "-y", "-i", url, "-t", seconds.ToString(CultureInfo.InvariantCulture), "-c", "copy", "-f", "mpegts", file })
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start)!;
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<ProbeResult> ProbeFileAsync(string file)
    {
        var (exit, stdout, stderr) = await FfmpegTools.RunAsync("ffprobe",
            ["-v", "error", "-count_frames", "-show_streams", "-show_format", "-of", "json", file], TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, stderr);
        var probe = FfmpegTools.ParseProbe(System.Text.Encoding.UTF8.GetString(stdout));
        output.WriteLine(probe.Json);
        return probe;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a-secret-passphrase")]
    public async Task An_ffmpeg_srt_listener_receives_decodable_h264_and_aac(string? passphrase)
    {
        var port = FreeUdpPort();
        var file = Path.Combine(Path.GetTempPath(), $"livehost-srt-{Guid.NewGuid():N}.ts");
        using var listener = Listen(port, file, 2.5, passphrase);
        var broadcaster = new MediaBroadcaster(fixture.Stream.Format);
        using var publishing = new CancellationTokenSource();
        var publisher = fixture.Stream.PublishAsync(broadcaster, publishing.Token);
        var url = SrtUrl.Parse($"srt://127.0.0.1:{port}?latency=120" + (passphrase is null ? "" : $"&passphrase={passphrase}"));
        try
        {
            await using (var srt = new SrtOutput("srt-1", url, broadcaster, Options, NullLogger<SrtOutput>.Instance, TimeProvider.System))
            {
                srt.Start();
                // ffmpeg stops after 2.5 s of stream time: the end of the recording is the event.
                await listener.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                var info = srt.GetInfo();
                output.WriteLine(info.ToString());
                Assert.Equal(1, info.Connects);
                Assert.True(info.BytesSent > 0);
                if (passphrase is not null) Assert.DoesNotContain(passphrase, info.Url, StringComparison.Ordinal);
            }
            Assert.Equal(0, listener.ExitCode);
            var probe = await ProbeFileAsync(file);
            var video = Assert.IsType<ProbedStream>(probe.Video);
            var audio = Assert.IsType<ProbedStream>(probe.Audio);
            Assert.Equal(("h264", 320, 240), (video.CodecName, video.Width, video.Height));
            Assert.Equal(("aac", 48_000), (audio.CodecName, audio.SampleRate));
            Assert.Contains("\"nb_read_frames\"", probe.Json, StringComparison.Ordinal);
        }
        finally
        {
            await publishing.CancelAsync();
            await publisher;
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_srt_output_is_back_within_5_seconds_after_its_listener_is_killed_and_restarted()
    {
        var port = FreeUdpPort();
        var first = Path.Combine(Path.GetTempPath(), $"livehost-srt-{Guid.NewGuid():N}.ts");
        var second = Path.Combine(Path.GetTempPath(), $"livehost-srt-{Guid.NewGuid():N}.ts");
        var broadcaster = new MediaBroadcaster(fixture.Stream.Format);
        using var publishing = new CancellationTokenSource();
        var publisher = fixture.Stream.PublishAsync(broadcaster, publishing.Token);
        try
        {
            await using var srt = new SrtOutput("srt-1", SrtUrl.Parse($"srt://127.0.0.1:{port}"), broadcaster, Options, NullLogger<SrtOutput>.Instance, TimeProvider.System);
            using (var listener = Listen(port, first, 60))
            {
                srt.Start();
                await WaitForChangeAsync(srt, () => srt.State == RtmpOutputState.Live, TimeSpan.FromSeconds(20));
                listener.Kill(entireProcessTree: true);
                await listener.WaitForExitAsync();
            }
            // The listener's silence is noticed (peer idle timeout), the output retries against a closed port.
            await WaitForChangeAsync(srt, () => srt.LastError is not null, TimeSpan.FromSeconds(20));
            output.WriteLine($"after the kill: {srt.GetInfo()}");

            var launched = Stopwatch.StartNew();
            using var again = Listen(port, second, 1.5);
            // Measured from when the new listener holds its UDP port (ffmpeg's own start-up is not the output's time).
            await WaitForAsync(() => IsUdpPortBound(port), TimeSpan.FromSeconds(15));
            var listening = launched.Elapsed;
            var restarted = Stopwatch.StartNew();
            await WaitForChangeAsync(srt, () => srt.Connects == 2, TimeSpan.FromSeconds(15));
            var back = restarted.Elapsed;
            output.WriteLine($"listener bound its port {listening.TotalSeconds:0.00} s after launch; output connected {back.TotalSeconds:0.00} s later: {srt.GetInfo()}");
            Assert.True(back < TimeSpan.FromSeconds(5), $"took {back.TotalSeconds:0.0} s");
            await again.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var probe = await ProbeFileAsync(second);
            Assert.Equal("h264", probe.Video?.CodecName);
            Assert.Equal("aac", probe.Audio?.CodecName);
            Assert.True(srt.Reconnects >= 1);
        }
        finally
        {
            await publishing.CancelAsync();
            await publisher;
            File.Delete(first);
            File.Delete(second);
        }
    }

    /// <summary>True when some socket on this machine is bound to UDP <paramref name="port"/> (Linux /proc/net/udp and udp6).</summary>
    private static bool IsUdpPortBound(int port)
    {
        var hex = ":" + port.ToString("X4", CultureInfo.InvariantCulture) + " ";
        return new[] { "/proc/net/udp", "/proc/net/udp6" }.Where(File.Exists)
            .Any(table => File.ReadLines(table).Skip(1).Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var local, ..] && (local + " ").EndsWith(hex, StringComparison.Ordinal)));
    }

    /// <summary>Until <paramref name="condition"/> holds, checked at each of <paramref name="output"/>'s state transitions (no polling).</summary>
    private static Task WaitForChangeAsync(SupervisedOutput output, Func<bool> condition, TimeSpan timeout) =>
        EventCondition.WhenAsync<SupervisedOutput>(h => output.Changed += h, h => output.Changed -= h, condition, timeout);

    /// <summary>Polls: only for what raises no event (another process binding a UDP port).</summary>
    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"condition not met within {timeout}");
            await Task.Delay(50);
        }
    }
}

public sealed class SrtUrlTests
{
    [Theory]
    [InlineData("srt://127.0.0.1:9000", "127.0.0.1", 9000, 120, null)]
    [InlineData("srt://ingest.example.com:7001?latency=400&passphrase=0123456789ab", "ingest.example.com", 7001, 400, "0123456789ab")]
    [InlineData("SRT://[::1]:9000?mode=caller", "::1", 9000, 120, null)]
    public void Parses_host_port_latency_and_passphrase(string text, string host, int port, int latency, string? passphrase)
    {
        var url = SrtUrl.Parse(text);
        Assert.Equal((host, port, latency, passphrase), (url.Host, url.Port, url.LatencyMilliseconds, url.Passphrase));
        if (passphrase is not null) Assert.DoesNotContain(passphrase, url.Masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("srt://host", "needs a host and a port")]
    [InlineData("srt://host:9000?latency=5", "latency must be 20..8000")]
    [InlineData("srt://host:9000?passphrase=short", "passphrase must be 10..79 characters (got 5)")]
    [InlineData("srt://host:9000?mode=listener", "connect as caller")]
    [InlineData("srt://host:9000?pbkeylen=16", "unknown parameter 'pbkeylen'")]
    [InlineData("rtmp://host/app/key", "srt scheme")]
    public void Refuses_anything_else_with_a_message_that_says_what_is_wrong(string text, string expected)
    {
        Assert.False(SrtUrl.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("short", error, StringComparison.Ordinal);
    }
}
