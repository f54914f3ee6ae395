using System.Diagnostics;

namespace LiveHost.Encoding.Tests.Fixtures;

/// <summary>Finds this test process's own children through /proc, to simulate an ffmpeg crash.</summary>
public static class ChildProcesses
{
    /// <summary>Kills the first direct child whose command line contains <paramref name="marker"/>, by its id.</summary>
    public static bool KillChildRunning(string marker)
    {
        var self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) != self) continue;
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (!commandLine.Contains(marker, StringComparison.Ordinal)) continue;
                using var process = Process.GetProcessById(pid);
                process.Kill();
                return true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // The process went away while we looked.
            }
        }
        return false;
    }
}
