using System.Diagnostics;
using LiveHost.Perf.Measurement;

namespace LiveHost.Perf.Foundation;

/// <summary>CPU counters of one room's encode at one moment.</summary>
public readonly record struct RoomCpuReading(TimeSpan VideoFfmpeg, TimeSpan AudioFfmpeg, long VideoFramesOut, long AudioFramesOut, long FramesRendered);

/// <summary>Every CPU counter the benchmark uses, read at one moment.</summary>
public sealed record CpuReading(long Timestamp, TimeSpan Process, TimeSpan Espeak, IReadOnlyList<RoomCpuReading> Rooms, long MachineBusyJiffies, long MachineTotalJiffies, double LoadAverage);

/// <summary>
/// Reads, once a second: this process's CPU (engine loops, drawing, espeak-ng, the encoder's .NET side), the
/// espeak-ng thread's own CPU, and each room's two ffmpeg processes with the frames they have put out, so that
/// ffmpeg's CPU per frame can be taken per one-second window.
/// </summary>
public sealed class CpuSampler(IReadOnlyList<RoomProbe> probes, IReadOnlyList<RoomProcesses> processes, int espeakThread)
{
    private readonly List<CpuReading> _readings = [];

    public IReadOnlyList<CpuReading> Readings => _readings;

    public CpuReading Read()
    {
        using var self = Process.GetCurrentProcess();
        var rooms = new RoomCpuReading[probes.Count];
        for (var i = 0; i < probes.Count; i++)
        {
            var room = probes[i].Room;
            var pids = processes[i];
            rooms[i] = new RoomCpuReading(
                pids.VideoPid is { } v ? ProcFs.ProcessCpu(v) ?? TimeSpan.Zero : TimeSpan.Zero,
                pids.AudioPid is { } a ? ProcFs.ProcessCpu(a) ?? TimeSpan.Zero : TimeSpan.Zero,
                room.Encoder.Counters.VideoFramesOut,
                room.Encoder.Counters.AudioFramesOut,
                room.Engine.Statistics.FramesRendered);
        }
        var (busy, total) = ProcFs.MachineCpu();
        var reading = new CpuReading(Stopwatch.GetTimestamp(), self.TotalProcessorTime, ProcFs.ThreadCpu(espeakThread) ?? TimeSpan.Zero, rooms, busy, total, ProcFs.LoadAverage());
        lock (_readings) _readings.Add(reading);
        return reading;
    }

    /// <summary>Reads every second until cancelled; the caller takes the final reading itself.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) Read();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
