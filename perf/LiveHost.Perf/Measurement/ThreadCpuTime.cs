using System.Diagnostics;

namespace LiveHost.Perf.Measurement;

/// <summary>This thread's CPU time (Linux: /proc/thread-self/stat utime + stime; elsewhere the process's).</summary>
public static class ThreadCpuTime
{
    public static TimeSpan Now()
    {
        if (File.Exists("/proc/thread-self/stat"))
        {
            var fields = File.ReadAllText("/proc/thread-self/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10.0);
        }
        return Process.GetCurrentProcess().TotalProcessorTime;
    }
}

/// <summary>Times a drawing stage frame by frame on this thread, after 50 frames of warm-up: wall time per frame and thread CPU per frame.</summary>
public static class FrameStage
{
    public static (Distribution WallMs, double CpuMsPerFrame) Run(string name, int frames, Action<int> draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        Console.WriteLine($"{name}: {frames} frames...");
        for (var i = 0; i < 50; i++) draw(i);
        var wall = new double[frames];
        var cpuBefore = ThreadCpuTime.Now();
        for (var i = 0; i < frames; i++)
        {
            var started = Stopwatch.GetTimestamp();
            draw(50 + i);
            wall[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        return (Distribution.Of(wall), (ThreadCpuTime.Now() - cpuBefore).TotalMilliseconds / frames);
    }
}
