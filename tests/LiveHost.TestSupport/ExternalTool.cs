using System.Diagnostics;

namespace LiveHost.TestSupport;

/// <summary>Runs ffmpeg/ffprobe from PATH and captures stdout as bytes.</summary>
public static class ExternalTool
{
    public static async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        using var cts = new CancellationTokenSource(timeout);
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        await copy;
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }
}
