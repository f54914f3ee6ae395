using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LiveHost.Perf.Measurement;
using static System.FormattableString;

namespace LiveHost.Perf.WebRtc;

/// <summary>Writes a <see cref="FanoutResult"/> as markdown, JSON and a console table.</summary>
public static class FanoutReport
{
    private static readonly JsonSerializerOptions Json = new(ReportFiles.Json) { Converters = { new JsonStringEnumConverter() } };

    private static readonly string[] Columns =
    [
        "viewers", "fan-out cores", "CPU µs/packet", "viewers/core", "packets/s sent", "delivered", "Mbit/s", "dropped", "kernel refused", "received",
        "alloc B/packet", "GC 0/1/2", "receiver cores", "machine busy cores",
    ];

    private const string ColumnAlignments = "rrrrrrrrrrrlrr";

    public static Task<(string Markdown, string Json)> WriteAsync(FanoutResult result, CancellationToken cancellationToken)
        => ReportFiles.WriteAsync(result.Options.OutputFolder, $"{result.StartedAt:yyyy-MM-dd-HHmm}-webrtc-fanout", result, jsonName => Markdown(result, jsonName), Json, cancellationToken);

    public static string Row(FanoutSample s) => Invariant(
        $"| {s.Viewers} | {s.FanoutCores:0.000} | {s.CpuMicrosecondsPerPacket:0.0} | {ViewersPerCore(s)} | {s.PacketsSentPerSecond:0} | {Delivered(s)} | {s.MegabitsPerSecond:0.0} | {s.Dropped} | {s.MuxSendDrops} | {s.Received} | {s.AllocatedBytesPerPacket:0.0} | {s.Gen0}/{s.Gen1}/{s.Gen2} | {s.SinkCores:0.00} | {s.MachineBusyCores:0.00} |");

    // A fan-out that did not keep up says how much CPU it got, not how many viewers a core serves: bracket it.
    private static string ViewersPerCore(FanoutSample s) =>
        s.Viewers > 0 && s.RoomPacketsPerSecond > 0 && s.PacketsSentPerSecond < 0.98 * s.RoomPacketsPerSecond * s.Viewers
            ? Invariant($"({s.ViewersPerCore:0})")
            : Invariant($"{s.ViewersPerCore:0}");

    // Packets sent against what N viewers of the room's stream should have been sent.
    private static string Delivered(FanoutSample s) =>
        s.Viewers == 0 || s.RoomPacketsPerSecond <= 0 ? "" : Invariant($"{100 * s.PacketsSentPerSecond / (s.RoomPacketsPerSecond * s.Viewers):0.0}%");

    public static string Summary(FanoutResult r)
    {
        var s = new StringBuilder();
        s.AppendLine(Invariant($"webrtc-fanout: {r.Options.Profile}, {r.Options.Seconds} s per count, room stream {r.RecordedVideoKbps:0} kbit/s video"));
        s.AppendLine(MarkdownTable.HeaderRow(Columns));
        foreach (var sample in r.Samples) s.AppendLine(Row(sample));
        return s.ToString();
    }

    private static string Markdown(FanoutResult r, string jsonName)
    {
        var m = r.Machine;
        var baseline = r.Samples[0];
        var s = new StringBuilder();
        ReportHeader.AppendTitle(s, "WebRTC fan-out benchmark", r.StartedAt);
        ReportHeader.AppendCommand(s, r.Options.CommandLine);
        ReportHeader.AppendMachine(s, m);
        ReportHeader.AppendSoftware(s, "server GC", m.DotNet, m.Ffmpeg);
        s.AppendLine(Invariant($"- Room stream: recorded from a real 1280x720 25 fps room while it spoke ({r.RecordedSeconds:0.0} s: {r.RecordedVideoPackets} H.264 packets, {r.RecordedVideoKbps:0} kbit/s of video RTP; {r.RecordedAudioPackets} Opus packets), replayed at real time in a loop"));
        s.AppendLine(Invariant($"- Per viewer: own SRTP context ({r.Options.Profile}, random keys), the product's `ViewerMediaSender` as a session runs it once DTLS is done (ring cursors, keyframe join, cut-forward, NACK queue, a sender report per stream each second; send loop woken per room nudge; queue {r.Options.QueuePackets} packets) over `ViewerPacketSender` (copy from ring into a pooled batch, payload-type rewrite, `SrtpContext.ProtectRtp`, one `UdpMux.SendBatch` per pass: sendmmsg of at most {r.Options.Batch} datagrams, UDP_SEGMENT {(r.Options.Segmentation ? "on" : "off")})"));
        s.AppendLine(Invariant($"- Window: {r.Options.WarmUpSeconds} s warm-up, then {r.Options.Seconds} s measured per viewer count; raw figures in `{jsonName}`"));
        s.AppendLine();
        MarkdownTable.AppendHeader(s, ColumnAlignments, Columns);
        foreach (var sample in r.Samples) s.AppendLine(Row(sample));
        s.AppendLine();
        s.AppendLine("How each column is made:");
        s.AppendLine();
        s.AppendLine("- *fan-out cores*: this process's CPU (getrusage, user + system, µs) per wall second, minus the loopback receiver thread's own CPU (schedstat), minus the same figure with 0 viewers (" +
            Invariant($"{baseline.ServerCores:0.000} cores: the replaying room stand-in, the idle UDP receive thread, the runtime)") + ". Kernel time of `sendto` is in it; the receiving side's kernel time is mostly charged to the sending thread on loopback, so this errs high.");
        s.AppendLine("- *CPU µs/packet*: fan-out CPU ÷ packets sent. *viewers/core*: viewers ÷ fan-out cores; in brackets where less than 98% was delivered (the fan-out did not keep up, so it only says how much CPU it got).");
        s.AppendLine("- *delivered*: packets sent ÷ (packets the room wrote × viewers); below 100% the fan-out did not keep up and viewers were cut forward.");
        s.AppendLine("- *receiver cores*: the loopback receiver thread (not part of the server; subtracted). *machine busy cores*: all processes, from /proc/stat; at the machine's core count nothing more was to be had.");
        s.AppendLine("- *dropped*: packets viewers skipped (fell more than the queue behind, the product's policy) or that the kernel refused; *kernel refused*: `UdpMux.SendDrops`.");
        s.AppendLine("- *received*: datagrams the receiver thread read (a shortfall against packets sent is loss at the receiving sockets, not the server).");
        s.AppendLine("- *alloc B/packet*: `GC.GetTotalAllocatedBytes(precise)` over the window, minus the receiver thread's and the 0-viewer rate, ÷ packets sent.");
        s.AppendLine();
        s.AppendLine(Invariant($"Machine busy during each window (all processes, cores): {string.Join(", ", r.Samples.Select(x => Invariant($"{x.Viewers}: {x.MachineBusyCores:0.00}")))}."));
        return s.ToString();
    }
}
