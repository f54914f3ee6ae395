using System.Globalization;
using System.Runtime.InteropServices;

namespace LiveHost.Perf.Measurement;

/// <summary>CPU time of processes and threads, read from Linux's /proc.</summary>
public static partial class ProcFs
{
    private const int ScClkTck = 2;

    /// <summary>Kernel clock ticks per second, the unit of utime/stime in /proc/&lt;pid&gt;/stat.</summary>
    public static long ClockTicksPerSecond { get; } = Math.Max(1, SysConf(ScClkTck));

    /// <summary>User + system CPU of a whole process (all its threads, living and exited); null once it is gone.</summary>
    public static TimeSpan? ProcessCpu(int pid)
    {
        var fields = StatFields($"/proc/{pid}/stat");
        if (fields is null) return null;
        // Fields after "pid (comm)": [0]=state (field 3), so field n is at n-3. utime=14, stime=15.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / ClockTicksPerSecond);
    }

    /// <summary>Processes whose parent is <paramref name="parentPid"/> and whose name is <paramref name="comm"/>.</summary>
    public static IReadOnlyList<int> Children(int parentPid, string comm)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            var stat = ReadOrNull(Path.Combine(dir, "stat"));
            if (stat is null) continue;
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open) continue;
            if (!string.Equals(stat[(open + 1)..close], comm, StringComparison.Ordinal)) continue;
            var fields = stat[(close + 2)..].Split(' ');
            if (int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ppid) && ppid == parentPid) found.Add(pid);
        }
        return found;
    }

    /// <summary>Busy and total jiffies of all CPUs together, from the first line of /proc/stat.</summary>
    public static (long Busy, long Total) MachineCpu()
    {
        var line = (ReadOrNull("/proc/stat") ?? "").Split('\n')[0];
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        if (values.Length < 4) return (0, 0);
        // user nice system idle iowait irq softirq steal ...; idle and iowait are the not-busy ones.
        var total = values.Take(8).Sum();
        var idle = values[3] + (values.Length > 4 ? values[4] : 0);
        return (total - idle, total);
    }

    /// <summary>The 1-minute load average.</summary>
    public static double LoadAverage() =>
        double.TryParse((ReadOrNull("/proc/loadavg") ?? "").Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : double.NaN;

    /// <summary>The process's command line, arguments joined by spaces; empty once it is gone.</summary>
    public static string CommandLine(int pid) => (ReadOrNull($"/proc/{pid}/cmdline") ?? "").Replace('\0', ' ').Trim();

    /// <summary>Threads of this process named <paramref name="comm"/> (the name a .NET Thread was given, cut to 15 bytes).</summary>
    public static IReadOnlyList<int> OwnThreads(string comm)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (string.Equals(ReadOrNull(Path.Combine(dir, "comm"))?.Trim(), comm, StringComparison.Ordinal))
            {
                found.Add(int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture));
            }
        }
        return found;
    }

    /// <summary>
    /// Time a thread of this process has spent on a CPU, in nanoseconds, from /proc/self/task/&lt;tid&gt;/schedstat
    /// (scheduler accounting, far finer than stat's clock ticks); null when unavailable.
    /// </summary>
    public static TimeSpan? ThreadCpu(int tid)
    {
        var text = ReadOrNull($"/proc/self/task/{tid}/schedstat");
        if (text is null) return null;
        var first = text.Split(' ')[0];
        return long.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ns) ? TimeSpan.FromTicks(ns / 100) : null;
    }

    private static string[]? StatFields(string path)
    {
        var stat = ReadOrNull(path);
        if (stat is null) return null;
        var close = stat.LastIndexOf(')');
        return close < 0 ? null : stat[(close + 2)..].Split(' ');
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
