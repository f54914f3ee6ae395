using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LiveHost.Host.Tests.Startup;

/// <summary>
/// The built server run as its own process (<c>dotnet LiveHost.Host.dll</c>), the way <c>scripts/run.sh</c> runs it,
/// with its console output kept. <see cref="Listening"/> completes with the address Kestrel reports, or fails with
/// the whole output when the process ends first.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    /// <summary>Variables that would choose the address or the content root for the server; each test sets its own.</summary>
    private static readonly string[] Inherited = ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS",
        "DOTNET_URLS", "ASPNETCORE_CONTENTROOT", "DOTNET_CONTENTROOT", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"];

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process) => _process = process;

    /// <summary>The first address the server says it listens on.</summary>
    public Task<Uri> Listening => _listening.Task;

    /// <summary>The exit code, once the process ended.</summary>
    public Task<int> Exited => _exited.Task;

    public string Output => string.Join('\n', _output);

    public static HostProcess Start(string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var name in Inherited) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.Exited += (_, _) => host.OnExited();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match) _listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    private void OnExited()
    {
        // The output events may still be draining; WaitForExit() without a timeout waits for them.
        _process.WaitForExit();
        _exited.TrySetResult(_process.ExitCode);
        _listening.TrySetException(new InvalidOperationException($"the server exited ({_process.ExitCode}) before listening:\n{Output}"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }
        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
