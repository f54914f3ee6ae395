using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LiveHost.Perf.Measurement;

/// <summary>
/// The whole process's CPU time with nanosecond resolution (Linux: clock_gettime(CLOCK_PROCESS_CPUTIME_ID), all its
/// threads); elsewhere <see cref="Process.TotalProcessorTime"/>, which Linux only counts in 10 ms ticks.
/// </summary>
public static partial class ProcessCpu
{
    private const int ClockProcessCpuTimeId = 2;

    public static TimeSpan Now()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockProcessCpuTimeId, out var time) == 0)
        {
            return TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100);
        }
        return Process.GetCurrentProcess().TotalProcessorTime;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
