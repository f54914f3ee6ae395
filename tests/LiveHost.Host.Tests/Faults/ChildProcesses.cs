using System.Globalization;

namespace LiveHost.Host.Tests.Faults;

/// <summary>A live (not zombie) process and its command line, as Linux's /proc shows them.</summary>
public sealed record ChildProcess(int Pid, IReadOnlyList<string> Arguments)
{
    /// <summary>Whether the arguments hold <paramref name="option"/> immediately followed by <paramref name="value"/>.</summary>
    public bool HasOption(string option, string value)
    {
        for (var i = 0; i + 1 < Arguments.Count; i++)
        {
            if (Arguments[i] == option && Arguments[i + 1] == value) return true;
        }
        return false;
    }
}

/// <summary>Finds the children of a process from /proc (Linux only, like the rest of the suite).</summary>
public static class ChildProcesses
{
    public static IReadOnlyList<ChildProcess> Of(int parent)
    {
        var children = new List<ChildProcess>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] == "Z" || int.Parse(fields[1], CultureInfo.InvariantCulture) != parent) continue;
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                children.Add(new ChildProcess(pid, arguments));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return children;
    }

    /// <summary>
    /// The one AAC encoder (ffmpeg ... -c:a aac ... -f adts) among the children of <paramref name="parent"/>; fails the
    /// test when there is none or more than one, since killing the wrong process would prove nothing.
    /// </summary>
    public static ChildProcess AacEncoderOf(int parent)
    {
        var children = Of(parent);
        var encoders = children.Where(c => c.Arguments.Count > 0 && Path.GetFileName(c.Arguments[0]) == "ffmpeg"
            && c.HasOption("-c:a", "aac") && c.HasOption("-f", "adts")).ToArray();
        // Thrown rather than asserted: the perf project links this file (with HostProcess) and has no xunit.
        if (encoders.Length != 1)
        {
            throw new InvalidOperationException($"expected one AAC ffmpeg child of {parent}, found {encoders.Length}; children: " +
                string.Join("; ", children.Select(c => $"{c.Pid}: {string.Join(' ', c.Arguments)}")));
        }
        return encoders[0];
    }
}
