using System.Diagnostics;

namespace LiveHost.Avatars.Realistic.Tests.LipSync;

/// <summary>Runs a tool of onnx-models/tools with Debian's /usr/bin/python3 (which scripts/install-deps.sh --test equips with torch and onnx).</summary>
internal static class PythonTool
{
    private const string Python = "/usr/bin/python3";

    public static string ToolsDirectory => Path.Combine(TestDirectory.RepositoryRoot, "onnx-models", "tools");

    /// <summary>Exit code, stdout and stderr of <c>python3 TOOL ARGS...</c>; fails the test after <paramref name="limit"/>.</summary>
    public static Task<(int Code, string Output, string Error)> RunAsync(TimeSpan limit, string tool, params string[] arguments) =>
        StartAsync(limit, [Path.Combine(ToolsDirectory, tool), .. arguments]);

    /// <summary>Exit code, stdout and stderr of <c>python3 -c CODE ARGS...</c> (sys.argv[1..] are the arguments).</summary>
    public static Task<(int Code, string Output, string Error)> RunCodeAsync(TimeSpan limit, string code, params string[] arguments) =>
        StartAsync(limit, ["-c", code, .. arguments]);

    private static async Task<(int Code, string Output, string Error)> StartAsync(TimeSpan limit, string[] arguments)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = ToolsDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
