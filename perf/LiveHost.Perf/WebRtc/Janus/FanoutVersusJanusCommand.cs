using System.Diagnostics;
using System.Globalization;
using System.Net;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.WebRtc.Transport;
using Microsoft.Extensions.Logging;

namespace LiveHost.Perf.WebRtc.Janus;

/// <summary>
/// LiveHost's WebRTC fan-out beside Janus's streaming plugin, in one run, on the same stream: a real 720p room's RTP is
/// recorded once and replayed by one <see cref="RecordedRoomFeed"/> into LiveHost's rings and, by <see cref="RtpForwarder"/>,
/// into a Janus RTP mountpoint at the same moments. For each viewer count, first LiveHost's viewers (the product's
/// <see cref="LiveHost.WebRtc.Sessions.ViewerMediaSender"/> per viewer, over the real UDP port to loopback sockets, as in
/// <c>webrtc-fanout</c>) are measured, then as many <see cref="JanusViewer"/>s watch Janus (ICE, DTLS-SRTP, media) and
/// Janus's process CPU is measured over the same window. Each side's figure is its CPU above its own 0-viewer baseline.
/// </summary>
public sealed class FanoutVersusJanusCommand : IBenchmarkCommand
{
    public string Name => "fanout-vs-janus";
    public string Summary => "WebRTC CPU per viewer, LiveHost's fan-out beside Janus 1.1.2's streaming plugin, same recorded stream, same viewer counts";
    public string Usage => """
          --viewers LIST     viewer counts, comma-separated (default 25,100)
          --seconds N        measured seconds per count and server (default 10)
          --warmup N         seconds before each measurement (default 3)
          --record N         seconds of the real room's stream to record and loop (default 12)
          --out DIR          where the result files go (default perf/results)
        """;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var counts = arguments.Text("viewers", "25,100").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 2000
                ? n : throw new ArgumentException($"--viewers takes counts from 1 to 2000, not '{v}'"))
            .Distinct().Order().ToArray();
        var options = new FanoutOptions([0, .. counts], arguments.Number("seconds", 10, 2, 600), arguments.Number("warmup", 3, 1, 60),
            arguments.Number("record", 12, 4, 120), LiveHost.WebRtc.Srtp.SrtpProfile.AeadAes128Gcm, new LiveHost.WebRtc.WebRtcOptions().ViewerQueuePackets,
            arguments.Text("out", Path.Combine("perf", "results")), "fanout-vs-janus " + arguments.Raw);
        arguments.ThrowIfUnknown();
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

        var recording = await FanoutCommand.RecordRoomAsync(options, loggers, cancellationToken);
        using var mux = new UdpMux(new IPEndPoint(IPAddress.Loopback, 0), loggers.CreateLogger<UdpMux>());
        using var feed = new RecordedRoomFeed(recording);
        await using var janus = await JanusServer.StartAsync(cancellationToken);
        using var forwarder = new RtpForwarder(feed, janus.AudioPort, janus.VideoPort);
        feed.AddViewer(forwarder);
        feed.Start();
        try
        {
            return await CompareAsync(options, startedAt, machine, recording, mux, feed, janus, forwarder, cancellationToken);
        }
        finally
        {
            feed.RemoveViewers([forwarder]);
        }
    }

    private static async Task<int> CompareAsync(FanoutOptions options, DateTimeOffset startedAt, MachineInfo machine, RoomPacketRecording recording,
        UdpMux mux, RecordedRoomFeed feed, JanusServer janus, RtpForwarder forwarder, CancellationToken cancellationToken)
    {
        Console.WriteLine($"janus (pid {janus.Pid}) fed on udp {janus.VideoPort}/{janus.AudioPort}; LiveHost on {mux.LocalEndPoint}");

        var rows = new List<JanusComparisonRow>();
        FanoutSample? liveBaseline = null;
        JanusSample? janusBaseline = null;
        foreach (var n in options.Viewers)
        {
            var live = await FanoutCommand.MeasureAsync(n, options, mux, feed, liveBaseline, cancellationToken);
            liveBaseline ??= live;
            var sample = await MeasureJanusAsync(n, options, janus, forwarder, janusBaseline, cancellationToken);
            janusBaseline ??= sample;
            var row = new JanusComparisonRow(n, live, sample);
            rows.Add(row);
            Console.WriteLine(JanusComparisonReport.Row(row));
        }

        var result = new JanusComparisonResult(startedAt, options, machine, await ReportHeader.LoadAverageAsync(cancellationToken),
            recording.DurationSeconds, JanusVersion(), rows);
        var (markdown, json) = await JanusComparisonReport.WriteAsync(result, cancellationToken);
        Console.WriteLine();
        Console.Write(JanusComparisonReport.Summary(result));
        Console.WriteLine($"wrote {markdown} and {json}");
        return 0;
    }

    private static async Task<JanusSample> MeasureJanusAsync(int count, FanoutOptions options, JanusServer janus, RtpForwarder forwarder,
        JanusSample? baseline, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = janus.HttpBase, Timeout = TimeSpan.FromSeconds(60) };
        var viewers = new List<JanusViewer>();
        try
        {
            // A few at a time: each is a DTLS handshake on a busy machine.
            using var gate = new SemaphoreSlim(8);
            var connecting = Enumerable.Range(0, count).Select(async _ =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    var viewer = await JanusViewer.ConnectAsync(http, TimeSpan.FromSeconds(60), cancellationToken);
                    lock (viewers) viewers.Add(viewer);
                }
                finally
                {
                    gate.Release();
                }
            }).ToArray();
            try
            {
                await Task.WhenAll(connecting);
            }
            catch (TimeoutException ex)
            {
                throw new InvalidOperationException(ex.Message + "; Janus said:" + Environment.NewLine + janus.RecentLog, ex);
            }
            await Task.Delay(TimeSpan.FromSeconds(options.WarmUpSeconds), cancellationToken);
            var (cpuA, atA, mediaA, fedA) = (janus.Cpu, Stopwatch.GetTimestamp(), viewers.Sum(v => v.MediaPackets), forwarder.Forwarded);
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
            var (cpuB, atB, mediaB, fedB) = (janus.Cpu, Stopwatch.GetTimestamp(), viewers.Sum(v => v.MediaPackets), forwarder.Forwarded);
            var wall = Stopwatch.GetElapsedTime(atA, atB).TotalSeconds;
            var cores = (cpuB - cpuA).TotalSeconds / wall;
            var fanout = baseline is null ? 0 : cores - baseline.Cores;
            var received = mediaB - mediaA;
            return new JanusSample(count, wall, cores, fanout, (fedB - fedA) / wall, received / wall,
                received > 0 ? fanout * wall / received * 1e6 : double.NaN, count > 0 && fanout > 0 ? count / fanout : double.NaN);
        }
        finally
        {
            await Task.WhenAll(viewers.Select(v => v.DisposeAsync().AsTask()));
        }
    }

    private static string JanusVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/janus", "--version") { RedirectStandardOutput = true })!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return text.Split('\n').FirstOrDefault(l => l.StartsWith("Janus version", StringComparison.Ordinal))?.Trim() ?? "janus";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "janus (version unknown)";
        }
    }
}

/// <summary>Janus over one window: its process CPU, what it was fed and what its viewers received.</summary>
public sealed record JanusSample(int Viewers, double WallSeconds, double Cores, double FanoutCores, double FedPacketsPerSecond,
    double ReceivedPacketsPerSecond, double CpuMicrosecondsPerPacket, double ViewersPerCore);

/// <summary>One viewer count, both servers.</summary>
public sealed record JanusComparisonRow(int Viewers, FanoutSample LiveHost, JanusSample Janus);

/// <summary>A whole <c>fanout-vs-janus</c> run.</summary>
public sealed record JanusComparisonResult(DateTimeOffset StartedAt, FanoutOptions Options, MachineInfo Machine, string LoadAverage,
    double RecordedSeconds, string JanusVersion, IReadOnlyList<JanusComparisonRow> Rows);
