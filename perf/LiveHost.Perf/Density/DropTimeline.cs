using System.Diagnostics;
using LiveHost.Host.Rooms;
using LiveHost.Perf.Measurement;

namespace LiveHost.Perf.Density;

/// <summary>
/// What the rooms and the machine did, half a second at a time, over a measured window: encoder drops, the deepest
/// video queue, the CPU of the espeak-ng thread, of the x264 encode threads and of the whole process, and GC pauses.
/// Sampled every 20 ms (queue depth) and read per bucket (the rest), so that a drop can be set beside what ran when
/// it happened. Linux only for the thread CPU (<see cref="ProcFs.ThreadCpu"/>); elsewhere those columns are zero.
/// </summary>
internal static class DropTimeline
{
    private static readonly TimeSpan Bucket = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(20);

    public static async Task<IReadOnlyList<DropBucket>> RecordAsync(IReadOnlyList<LiveRoom> rooms, TimeSpan window, CancellationToken cancellationToken)
    {
        var buckets = new List<DropBucket>();
        var clock = Stopwatch.StartNew();
        var drops = Drops(rooms);
        IReadOnlyList<int> espeakThreads = [], encodeThreads = [];
        if (OperatingSystem.IsLinux())
        {
            espeakThreads = ProcFs.OwnThreads("espeak-ng");
            encodeThreads = ProcFs.OwnThreads("x264 encode");
        }
        var threads = ThreadCpu(espeakThreads, encodeThreads);
        var process = Process.GetCurrentProcess().TotalProcessorTime;
        var pauses = GC.GetTotalPauseDuration();
        var gen2 = GC.CollectionCount(2);
        using var timer = new PeriodicTimer(Sample);
        var bucketStart = TimeSpan.Zero;
        var deepest = 0;
        while (clock.Elapsed < window && await timer.WaitForNextTickAsync(cancellationToken))
        {
            deepest = Math.Max(deepest, rooms.Max(r => r.Encoder.VideoQueueDepth));
            if (clock.Elapsed - bucketStart < Bucket && clock.Elapsed < window) continue;
            var nowDrops = Drops(rooms);
            var nowThreads = ThreadCpu(espeakThreads, encodeThreads);
            var nowProcess = Process.GetCurrentProcess().TotalProcessorTime;
            var nowPauses = GC.GetTotalPauseDuration();
            var nowGen2 = GC.CollectionCount(2);
            buckets.Add(new DropBucket(bucketStart.TotalSeconds, nowDrops - drops, deepest,
                (nowThreads.Espeak - threads.Espeak).TotalMilliseconds, (nowThreads.Encode - threads.Encode).TotalMilliseconds,
                (nowProcess - process).TotalMilliseconds, (nowPauses - pauses).TotalMilliseconds, nowGen2 - gen2,
                (clock.Elapsed - bucketStart).TotalMilliseconds));
            (drops, threads, process, pauses, gen2) = (nowDrops, nowThreads, nowProcess, nowPauses, nowGen2);
            bucketStart = clock.Elapsed;
            deepest = 0;
        }
        return buckets;
    }

    private static long Drops(IReadOnlyList<LiveRoom> rooms) => rooms.Sum(r => r.Encoder.Counters.VideoFramesDropped);

    // CPU of the espeak-ng thread and of all x264 encode threads (found once: the rooms made them before the window).
    private static (TimeSpan Espeak, TimeSpan Encode) ThreadCpu(IReadOnlyList<int> espeak, IReadOnlyList<int> encode) =>
        (Sum(espeak), Sum(encode));

    private static TimeSpan Sum(IReadOnlyList<int> threads)
    {
        var total = TimeSpan.Zero;
        foreach (var tid in threads) total += ProcFs.ThreadCpu(tid) ?? TimeSpan.Zero;
        return total;
    }
}

/// <summary>Half a second of a rooms run (CPU in milliseconds of CPU time within the bucket).</summary>
public sealed record DropBucket(double AtSeconds, long Drops, int DeepestQueue, double EspeakCpuMs, double EncodeCpuMs, double ProcessCpuMs, double GcPauseMs, int Gen2Collections, double LengthMs);
