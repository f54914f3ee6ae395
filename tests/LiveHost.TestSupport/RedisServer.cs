using System.Diagnostics;
using System.Globalization;

namespace LiveHost.TestSupport;

/// <summary>
/// A redis-server of its own for tests (Debian package <c>redis-server</c>, installed by
/// <c>scripts/install-deps.sh --test</c>): 127.0.0.1 on a free port, working directory a temp folder, no persistence
/// (<c>--save ""</c>, <c>--appendonly no</c>), so a restart comes back empty, as a Redis without persistence does.
/// <see cref="RestartAsync"/> stops it and starts it again on the same port; <see cref="DisposeAsync"/> stops it and
/// deletes the folder.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string ServerPath = "/usr/bin/redis-server";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _folder;
    private Process? _process;

    private RedisServer(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis's form: <c>127.0.0.1:port</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Why no server can be started here (redis-server is absent), or null when one can.</summary>
    public static string? MissingReason => File.Exists(ServerPath) ? null
        : "redis-server is not installed: run scripts/install-deps.sh --test (Debian package redis-server)";

    public static async Task<RedisServer> StartAsync(CancellationToken ct = default)
    {
        if (MissingReason is { } missing) throw new InvalidOperationException(missing);
        var server = new RedisServer(Directory.CreateTempSubdirectory("livehost-redis-").FullName, FreePort.GetLoopbackTcpPort());
        try
        {
            await server.StartProcessAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server (SIGTERM, waited for) and starts it again, empty, on the same port.</summary>
    public async Task RestartAsync()
    {
        await StopProcessAsync();
        await StartProcessAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private async Task StartProcessAsync(CancellationToken ct)
    {
        var start = new ProcessStartInfo(ServerPath)
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no",
            "--dir", _folder, "--protected-mode", "no", "--daemonize", "no", "--logfile", "" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + ServerPath);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var waited = Stopwatch.StartNew();
        while (!await FreePort.AcceptsAsync(Port, ct))
        {
            if (process.HasExited) throw new InvalidOperationException($"redis-server exited with {process.ExitCode}:\n{string.Join('\n', output)}");
            if (waited.Elapsed > StartTimeout) throw new TimeoutException($"redis-server did not listen on {ConnectionString} within {StartTimeout.TotalSeconds} s");
            await Task.Delay(20, ct);
        }
    }

    private async Task StopProcessAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        try
        {
            if (!process.HasExited)
            {
                // SIGTERM: redis-server closes its clients and exits; with --save "" nothing is written.
                using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await process.WaitForExitAsync(limit.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            process.Dispose();
        }
    }
}
