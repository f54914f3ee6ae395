using System.Text;
using static System.FormattableString;

namespace LiveHost.Perf.Measurement;

/// <summary>
/// The lines every benchmark report opens with: title and date, the command that reproduces it, and the machine and
/// software it ran on, so that a number in perf/results is never read without what it was measured on.
/// </summary>
public static class ReportHeader
{
    private const string PerfCommandPrefix = "dotnet run -c Release --project perf/LiveHost.Perf -- ";

    /// <summary>The full command that reruns a benchmark given its arguments (benchmark name first).</summary>
    public static string CommandLine(string perfArguments) => PerfCommandPrefix + perfArguments.Trim();

    /// <summary>"# {title}, {date time zone}" and a blank line.</summary>
    public static void AppendTitle(StringBuilder s, string title, DateTimeOffset startedAt)
    {
        s.AppendLine(Invariant($"# {title}, {startedAt:yyyy-MM-dd HH:mm zzz}"));
        s.AppendLine();
    }

    /// <summary>The command line of a perf benchmark, from its arguments.</summary>
    public static void AppendCommand(StringBuilder s, string perfArguments) => AppendCommandLine(s, CommandLine(perfArguments));

    /// <summary>A command line recorded whole (see <see cref="CommandLine"/>).</summary>
    public static void AppendCommandLine(StringBuilder s, string commandLine) => s.AppendLine($"- Command: `{commandLine.Trim()}`");

    /// <summary>CPU, cores, memory, OS and (unless left out) kernel, then <paramref name="details"/> as written (start it with "; ").</summary>
    public static void AppendMachine(StringBuilder s, MachineInfo m, string details = "", bool withKernel = true) =>
        s.AppendLine(Invariant($"- Machine: {m.CpuModel}, {m.LogicalCores} logical cores, {m.MemoryGiB} GiB RAM, {m.OperatingSystem}{(withKernel ? $" ({m.Kernel})" : "")}{details}"));

    /// <summary>"- Software: a, b, c; details": the versions that took part (from <see cref="MachineInfo"/>) and how they ran.</summary>
    public static void AppendSoftware(StringBuilder s, string details, params string[] versions) =>
        s.AppendLine($"- Software: {string.Join(", ", versions)}; {details}");

    /// <summary>Title, command line, machine and the load average at the end: how a run on the shared machine opens.</summary>
    public static void AppendRun(StringBuilder s, string title, DateTimeOffset startedAt, string commandLine, MachineInfo machine, string loadAverage)
    {
        AppendTitle(s, title, startedAt);
        AppendCommandLine(s, commandLine);
        AppendMachine(s, machine);
        s.AppendLine(Invariant($"- Load average at the end (1/5/15 min, runnable/total, last pid): `{loadAverage}`"));
    }

    /// <summary>/proc/loadavg as written ("" where there is none).</summary>
    public static async Task<string> LoadAverageAsync(CancellationToken cancellationToken) =>
        File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Trim() : "";
}
