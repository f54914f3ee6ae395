using System.Globalization;
using System.Runtime.InteropServices;

namespace LiveHost.Host.Capacity;

/// <summary>
/// The CPU clocks capacity is measured with: the calling thread's own CPU time (clock_gettime(CLOCK_THREAD_CPUTIME_ID),
/// ns resolution, a few tens of ns per read), and, from /proc, this process with its live child processes (the
/// rooms' ffmpeg encoders), the threads whose name starts with a prefix (the ONNX runners, <c>onnx-*</c>) and the whole
/// machine. Off Linux only the process's own time is known (<see cref="System.Diagnostics.Process.TotalProcessorTime"/>).
/// </summary>
public static partial class CpuClocks
{
    private const int ClockThreadCpuTime = 3;
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux the project runs on

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>CPU time the calling thread has used, in ns (0 where the clock is unavailable).</summary>
    public static long ThreadNanoseconds()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ClockThreadCpuTime, out var now) != 0) return 0;
        return now.Seconds * 1_000_000_000 + now.Nanoseconds;
    }

    /// <summary>CPU time of this process and its living children (user + system).</summary>
    public static TimeSpan ProcessWithChildren()
    {
        if (!OperatingSystem.IsLinux()) return System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var self = Environment.ProcessId;
        var ticks = StatTicks($"/proc/{self}/stat", out _);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]) || name == self.ToString(CultureInfo.InvariantCulture)) continue;
            var child = StatTicks(Path.Combine(directory, "stat"), out var parent);
            if (parent == self) ticks += child;
        }
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>CPU time of this process's threads whose name (comm, 15 characters) starts with <paramref name="prefix"/>.</summary>
    public static TimeSpan ThreadsNamed(string prefix)
    {
        if (!OperatingSystem.IsLinux()) return TimeSpan.Zero;
        long ticks = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{Environment.ProcessId}/task"))
        {
            string comm;
            try
            {
                comm = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
            }
            catch (IOException)
            {
                continue; // the thread ended meanwhile
            }
            if (comm.StartsWith(prefix, StringComparison.Ordinal)) ticks += StatTicks(Path.Combine(task, "stat"), out _);
        }
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Busy and total jiffies of the whole machine (the first line of /proc/stat); zeros off Linux.</summary>
    public static (long Busy, long Total) Machine()
    {
        if (!OperatingSystem.IsLinux()) return (0, 0);
        var line = File.ReadLines("/proc/stat").First();
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal (guest is inside user)
        var idle = fields[3] + fields[4];
        return (total - idle, total);
    }

    /// <summary>utime + stime (fields 14 and 15 of proc(5) stat) and the parent pid (field 4); 0 when the task is gone.</summary>
    private static long StatTicks(string path, out int parent)
    {
        parent = 0;
        string stat;
        try
        {
            stat = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        // The name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
