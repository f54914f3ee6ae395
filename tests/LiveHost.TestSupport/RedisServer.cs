using System.Diagnostics;
using System.Globalization;

namespace LiveHost.TestSupport;

/// <summary>
/// A redis-server of its own for tests (Debian package <c>redis-server</c>; <c>scripts/install-deps.sh --test</c>):
/// 127.0.0.1 on a free port, its folder a temp directory, no persistence (<c>--save "" --appendonly no</c>).
/// <see cref="StartAsync"/> returns once the server logs that it accepts connections (read from its output, not
/// polled); <see cref="RestartAsync"/> kills it and starts it again on the same port, empty, for outage tests.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly string _folder;
    private Process? _process;

    private RedisServer(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis form: <c>127.0.0.1:port</c>.</summary>
    public string ConnectionString => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public static async Task<RedisServer> StartAsync(CancellationToken ct = default)
    {
        var server = new RedisServer(Directory.CreateTempSubdirectory("livehost-redis-").FullName, FreePort.GetLoopbackTcpPort());
        try
        {
            await server.LaunchAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the server (like a crash: every connection dropped, nothing kept) and starts it again on the same port.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await LaunchAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private async Task LaunchAsync(CancellationToken ct)
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        foreach (var argument in new[]
                 {
                     "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--dir", _folder,
                     "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "notice",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: run scripts/install-deps.sh --test (Debian package redis-server)", e);
        }

        _process = process;
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal)) ready.TrySetResult();
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"redis-server exited at start:\n{Text(output)}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(StartTimeout, ct);
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"redis-server did not become ready within {StartTimeout.TotalSeconds} s:\n{Text(output)}", e);
        }
    }

    private static string Text(System.Text.StringBuilder output)
    {
        lock (output) return output.ToString();
    }

    private async Task StopAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        finally
        {
            process.Dispose();
        }
    }
}
