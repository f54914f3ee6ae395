using System.Diagnostics;
using System.Net.Http.Headers;
using LiveHost.TestSupport;

namespace LiveHost.Host.Tests.Faults;

/// <summary>
/// The built LiveHost.Host.dll run as a separate process (<c>dotnet LiveHost.Host.dll</c>), configured only through
/// its environment, on a free 127.0.0.1 port: what an operator runs, so that it can be killed with SIGKILL and started
/// again on the same data directory. Dispose kills it if it still runs.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentTail _log = new(60);

    private HostProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }
    public Uri BaseAddress { get; }
    public int Pid => _process.Id;

    /// <summary>The last lines the server wrote to stdout and stderr, for failure messages.</summary>
    public string RecentOutput => _log.ToString();

    /// <summary>
    /// Starts the server with <paramref name="environment"/> added to this process's own and waits until it accepts
    /// connections; on <paramref name="port"/> when given (a caller that must name the address in the settings, such
    /// as a cluster node's public URL), else on a free one.
    /// </summary>
    public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        var dll = BuiltHostDll();
        var listen = port ?? FreePort.GetLoopbackTcpPort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{listen}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet " + dll);
        var host = new HostProcess(process, listen);
        process.OutputDataReceived += (_, e) => host.Received(e.Data);
        process.ErrorDataReceived += (_, e) => host.Received(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var waited = Stopwatch.StartNew();
            while (!await FreePort.AcceptsAsync(listen))
            {
                if (process.HasExited) throw new InvalidOperationException($"the server exited with {process.ExitCode} before listening:\n{host.RecentOutput}");
                if (waited.Elapsed > StartTimeout) throw new TimeoutException($"the server did not listen on {host.BaseAddress} within {StartTimeout.TotalSeconds} s:\n{host.RecentOutput}");
                await Task.Delay(100);
            }
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Raised for each line the server writes to stdout or stderr (on the reader threads).</summary>
    public event Action<string>? OutputLine;

    private void Received(string? line)
    {
        if (line is null) return;
        _log.Add(line);
        OutputLine?.Invoke(line);
    }

    /// <summary>
    /// Waits for the first output line (from now on) that contains <paramref name="text"/>: an event, not a poll.
    /// </summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(string line)
        {
            if (line.Contains(text, StringComparison.Ordinal)) seen.TrySetResult(line);
        }
        OutputLine += Check;
        try
        {
            return await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the server at {BaseAddress} wrote no line containing \"{text}\" within {timeout.TotalSeconds:0.#} s:\n{RecentOutput}");
        }
        finally
        {
            OutputLine -= Check;
        }
    }

    /// <summary>Sends a signal to the server process (STOP and CONT pause and resume it, as a partition would).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("could not run kill");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {Pid} exited with {kill.ExitCode}");
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>
    /// SIGKILL to the server alone, as <c>kill -9</c> would do: no shutdown code runs. Its children (the AAC ffmpeg)
    /// are orphaned as they would be; they are killed afterwards only so that the test leaves nothing behind.
    /// </summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        var children = ChildProcesses.Of(_process.Id);
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var child in children)
        {
            try
            {
                using var orphan = Process.GetProcessById(child.Pid);
                orphan.Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>src/LiveHost.Host/bin/{configuration}/{tfm}/LiveHost.Host.dll, built with this test project; else the copy beside the tests.</summary>
    private static string BuiltHostDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent?.Name ?? "Release";
        for (var folder = output; folder is not null; folder = folder.Parent)
        {
            if (!File.Exists(Path.Combine(folder.FullName, "LiveHost.sln"))) continue;
            var built = Path.Combine(folder.FullName, "src", "LiveHost.Host", "bin", configuration, output.Name, "LiveHost.Host.dll");
            if (File.Exists(built)) return built;
            break;
        }
        return Path.Combine(AppContext.BaseDirectory, "LiveHost.Host.dll");
    }

    /// <summary>The last lines of a process's output, kept from its reader threads.</summary>
    private sealed class ConcurrentTail(int capacity)
    {
        private readonly Queue<string> _lines = new();

        public void Add(string line)
        {
            lock (_lines)
            {
                _lines.Enqueue(line);
                while (_lines.Count > capacity) _lines.Dequeue();
            }
        }

        public override string ToString()
        {
            lock (_lines) return string.Join('\n', _lines);
        }
    }
}
