using System.Runtime.InteropServices;

namespace LiveHost.Encoding.Threading;

/// <summary>
/// Sets the calling thread's nice value on Linux (a thread is a task there, with its own). .NET's
/// <see cref="Thread.Priority"/> does not reach the kernel's scheduler on Linux, and raising a priority needs
/// privileges, but lowering one does not: a room's encode thread runs a few nice levels below its clock, so that on
/// a full machine the tick that must be on time gets the CPU first and the encode, which its bounded queue lets
/// lag a few frames, catches up after.
/// </summary>
internal static partial class ThreadNiceness
{
    private const int PrioProcess = 0;

    /// <summary>Lowers the calling thread to <paramref name="nice"/> (0-19); false where it cannot (not Linux, refused).</summary>
    public static bool TrySetForCurrentThread(int nice)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nice);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nice, 19);
        if (nice == 0 || !OperatingSystem.IsLinux()) return false;
        try
        {
            return SetPriority(PrioProcess, GetTid(), nice) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The calling thread's nice value on Linux (null elsewhere or when it cannot be read).</summary>
    public static int? CurrentThreadNice()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            Marshal.SetLastPInvokeError(0);
            var nice = GetPriority(PrioProcess, GetTid());
            return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? null : nice;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);
}
