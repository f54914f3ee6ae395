using System.Runtime.InteropServices;

namespace LiveHost.Perf.WebRtc;

/// <summary>The two system calls the fan-out benchmark needs that .NET does not expose allocation-free.</summary>
public static unsafe partial class LinuxCalls
{
    private const int RusageSelf = 0;

    /// <summary>pollfd: fd, requested events, returned events.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    public const short PollIn = 0x001;

    /// <summary>
    /// User + system CPU of the whole process, living and exited threads, from getrusage(RUSAGE_SELF) in
    /// microseconds (finer than /proc's 10 ms clock ticks, which matters for one-viewer runs).
    /// </summary>
    public static TimeSpan ProcessCpu()
    {
        // struct rusage on 64-bit Linux: ru_utime {sec, usec}, ru_stime {sec, usec}, then 14 longs.
        var usage = stackalloc long[18];
        if (GetRusage(RusageSelf, usage) != 0) throw new InvalidOperationException("getrusage failed: " + Marshal.GetLastPInvokeError());
        var micros = usage[0] * 1_000_000 + usage[1] + usage[2] * 1_000_000 + usage[3];
        return TimeSpan.FromTicks(micros * 10);
    }

    /// <returns>Descriptors with events, 0 on timeout, -1 on error (EINTR included).</returns>
    public static int Poll(Span<PollFd> fds, int timeoutMs)
    {
        fixed (PollFd* p = fds) return PollNative(p, (ulong)fds.Length, timeoutMs);
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRusage(int who, long* usage);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int PollNative(PollFd* fds, ulong count, int timeoutMs);
}
