using System.Diagnostics;
using LiveHost.Perf.Measurement;

namespace LiveHost.Perf.WebRtc;

/// <summary>Every counter of one fan-out run, read at one moment.</summary>
public sealed record FanoutReading(
    long Timestamp, TimeSpan ProcessCpu, TimeSpan SinkCpu, long AllocatedBytes, long SinkAllocatedBytes,
    long PacketsSent, long BytesSent, long Dropped, long MuxSendDrops, long Received, long PacketsWritten,
    int Gen0, int Gen1, int Gen2, long MachineBusyJiffies, long MachineTotalJiffies)
{
    public static FanoutReading Take(IReadOnlyList<FanoutViewer> viewers, LoopbackSink sink, LiveHost.WebRtc.Transport.UdpMux mux, RecordedRoomFeed feed)
    {
        var (busy, total) = ProcFs.MachineCpu();
        return new FanoutReading(
            Stopwatch.GetTimestamp(), LinuxCalls.ProcessCpu(), sink.Cpu, GC.GetTotalAllocatedBytes(precise: true), sink.AllocatedBytes,
            viewers.Sum(v => v.Counters.PacketsSent), viewers.Sum(v => v.Counters.BytesSent), viewers.Sum(v => v.Dropped), mux.SendDrops,
            sink.Received, feed.PacketsWritten, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), busy, total);
    }
}

/// <summary>One viewer count, measured: raw deltas over the window plus the derived figures.</summary>
public sealed record FanoutSample(
    int Viewers, double WallSeconds, double ProcessCores, double SinkCores, double ServerCores, double FanoutCores,
    double RoomPacketsPerSecond, double PacketsSentPerSecond, double MegabitsPerSecond, double CpuMicrosecondsPerPacket,
    double ViewersPerCore, long PacketsSent, long Dropped, long MuxSendDrops, long Received,
    double AllocatedBytesPerSecond, double AllocatedBytesPerPacket, int Gen0, int Gen1, int Gen2, double MachineBusyCores)
{
    public static FanoutSample From(int viewers, FanoutReading a, FanoutReading b, FanoutSample? baseline)
    {
        var wall = Stopwatch.GetElapsedTime(a.Timestamp, b.Timestamp).TotalSeconds;
        var process = (b.ProcessCpu - a.ProcessCpu).TotalSeconds / wall;
        var sink = (b.SinkCpu - a.SinkCpu).TotalSeconds / wall;
        var server = process - sink;
        var fanout = baseline is null ? 0 : server - baseline.ServerCores;
        var sent = b.PacketsSent - a.PacketsSent;
        var allocatedPerSecond = ((b.AllocatedBytes - a.AllocatedBytes) - (b.SinkAllocatedBytes - a.SinkAllocatedBytes)) / wall;
        var netAllocated = (allocatedPerSecond - (baseline?.AllocatedBytesPerSecond ?? allocatedPerSecond)) * wall;
        var jiffies = b.MachineTotalJiffies - a.MachineTotalJiffies;
        return new FanoutSample(
            viewers, wall, process, sink, server, fanout,
            (b.PacketsWritten - a.PacketsWritten) / wall,
            sent / wall,
            (b.BytesSent - a.BytesSent) * 8 / wall / 1e6,
            sent > 0 ? fanout * wall / sent * 1e6 : double.NaN,
            viewers > 0 && fanout > 0 ? viewers / fanout : double.NaN,
            sent, b.Dropped - a.Dropped, b.MuxSendDrops - a.MuxSendDrops, b.Received - a.Received,
            allocatedPerSecond, sent > 0 ? netAllocated / sent : double.NaN,
            b.Gen0 - a.Gen0, b.Gen1 - a.Gen1, b.Gen2 - a.Gen2,
            jiffies > 0 ? (double)(b.MachineBusyJiffies - a.MachineBusyJiffies) / jiffies * Environment.ProcessorCount : double.NaN);
    }
}

/// <summary>A whole <c>webrtc-fanout</c> run.</summary>
public sealed record FanoutResult(
    DateTimeOffset StartedAt, FanoutOptions Options, MachineInfo Machine, double RecordedSeconds, int RecordedVideoPackets,
    int RecordedAudioPackets, double RecordedVideoKbps, IReadOnlyList<FanoutSample> Samples);
