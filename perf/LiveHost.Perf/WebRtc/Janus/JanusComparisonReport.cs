using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LiveHost.Perf.Measurement;
using static System.FormattableString;

namespace LiveHost.Perf.WebRtc.Janus;

/// <summary>Writes a <see cref="JanusComparisonResult"/> as markdown, JSON and a console table.</summary>
public static class JanusComparisonReport
{
    private static readonly JsonSerializerOptions Json = new(ReportFiles.Json) { Converters = { new JsonStringEnumConverter() } };

    private static readonly string[] Columns =
    [
        "viewers", "LiveHost fan-out cores", "LiveHost µs/packet", "LiveHost viewers/core", "LiveHost packets/s sent",
        "Janus fan-out cores", "Janus µs/packet", "Janus viewers/core", "Janus packets/s received", "Janus process cores", "machine busy cores",
    ];

    public static Task<(string Markdown, string Json)> WriteAsync(JanusComparisonResult result, CancellationToken cancellationToken)
        => ReportFiles.WriteAsync(result.Options.OutputFolder, $"{result.StartedAt:yyyy-MM-dd-HHmm}-fanout-vs-janus", result, jsonName => Markdown(result, jsonName), Json, cancellationToken);

    public static string Row(JanusComparisonRow r) => Invariant(
        $"| {r.Viewers} | {r.LiveHost.FanoutCores:0.000} | {r.LiveHost.CpuMicrosecondsPerPacket:0.0} | {r.LiveHost.ViewersPerCore:0} | {r.LiveHost.PacketsSentPerSecond:0} | {r.Janus.FanoutCores:0.000} | {r.Janus.CpuMicrosecondsPerPacket:0.0} | {r.Janus.ViewersPerCore:0} | {r.Janus.ReceivedPacketsPerSecond:0} | {r.Janus.Cores:0.000} | {r.LiveHost.MachineBusyCores:0.00} |");

    public static string Summary(JanusComparisonResult r)
    {
        var s = new StringBuilder();
        s.AppendLine(Invariant($"fanout-vs-janus: {r.JanusVersion}, {r.Options.Seconds} s per count and server"));
        s.AppendLine(MarkdownTable.HeaderRow(Columns));
        foreach (var row in r.Rows) s.AppendLine(Row(row));
        return s.ToString();
    }

    private static string Markdown(JanusComparisonResult r, string jsonName)
    {
        var s = new StringBuilder();
        ReportHeader.AppendRun(s, "WebRTC fan-out: LiveHost beside Janus", r.StartedAt, ReportHeader.CommandLine(r.Options.CommandLine), r.Machine, r.LoadAverage);
        ReportHeader.AppendSoftware(s, "server GC", r.Machine.DotNet, r.JanusVersion + " (Debian package, streaming plugin, RTP mountpoint)");
        s.AppendLine(Invariant($"- Stream: a real 1280x720 25 fps room's RTP (H.264 + Opus), recorded for {r.RecordedSeconds:0.0} s and replayed in a loop into LiveHost's rings and, at the same moments, as plain RTP into Janus's mountpoint on loopback"));
        s.AppendLine("- LiveHost's viewers: the product's `ViewerMediaSender` each (own SRTP context, AEAD_AES_128_GCM), over the real UDP port (batched: sendmmsg + UDP_SEGMENT) to loopback sockets drained by one thread, as in `webrtc-fanout`");
        s.AppendLine("- Janus's viewers: managed peers over Janus's HTTP API (create, attach, watch, start with an answer), ICE-lite answering Janus's checks, DTLS-SRTP client (BouncyCastle), counting the SRTP datagrams they get; one thread each, in the benchmark's process");
        s.AppendLine(Invariant($"- Window: {r.Options.WarmUpSeconds} s warm-up, then {r.Options.Seconds} s measured per count, LiveHost first then Janus; raw figures in `{jsonName}`"));
        s.AppendLine();
        MarkdownTable.AppendHeader(s, "rrrrrrrrrrr", Columns);
        foreach (var row in r.Rows) s.AppendLine(Row(row));
        s.AppendLine();
        s.AppendLine("How each column is made:");
        s.AppendLine();
        s.AppendLine("- *LiveHost fan-out cores*: as in `webrtc-fanout`: this process's CPU (getrusage) less the loopback receiver thread's and less the 0-viewer figure (which holds the replaying feed and the forwarding to Janus).");
        s.AppendLine("- *Janus fan-out cores*: Janus's process CPU (/proc/<pid>/stat, user + system, 10 ms ticks) per wall second, less the same with 0 viewers (Janus receiving the mountpoint's RTP). *Janus process cores* is the raw figure.");
        s.AppendLine("- *µs/packet*: fan-out CPU ÷ packets sent (LiveHost) or received by the viewers (Janus: what it sent that arrived). *viewers/core*: viewers ÷ fan-out cores.");
        s.AppendLine("- The Janus viewers' answer negotiates no RTP header extension and no RTX (LiveHost's viewers get none either); both servers keep NACK history, and none is asked for on loopback.");
        return s.ToString();
    }
}
