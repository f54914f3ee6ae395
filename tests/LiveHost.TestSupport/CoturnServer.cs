using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LiveHost.TestSupport;

/// <summary>
/// Debian's coturn (<c>turnserver</c>) for tests: STUN and TURN over UDP on 127.0.0.1 and a free port, long-term
/// credentials for one user, relaying between loopback peers (<c>allow-loopback-peers</c>), from a temp config; its log
/// goes to stdout and is read here line by line, so a test waits for a log line as an event. Dispose kills it.
/// </summary>
public sealed class CoturnServer : IAsyncDisposable
{
    public const string TurnServerPath = "/usr/bin/turnserver";
    public const string Realm = "livehost.test";

    private readonly Process _process;
    private readonly string _folder;
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    private CoturnServer(Process process, string folder, int port, string user, string password)
    {
        _process = process;
        _folder = folder;
        Port = port;
        User = user;
        Password = password;
    }

    public int Port { get; }
    public string User { get; }
    public string Password { get; }
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public string Log
    {
        get
        {
            lock (_lines) return string.Join('\n', _lines);
        }
    }

    public static async Task<CoturnServer> StartAsync(string user, string password)
    {
        if (!File.Exists(TurnServerPath)) throw new InvalidOperationException("coturn is not installed: run scripts/install-deps.sh --test");
        var folder = Directory.CreateTempSubdirectory("livehost-coturn-").FullName;
        var port = FreeUdpPort();
        // A relay port window of its own (coturn binds relay ports only when it allocates).
        var relayBase = 40000 + (Random.Shared.Next(0, 100) * 200);
        var config = string.Join('\n',
            "listening-ip=127.0.0.1", "relay-ip=127.0.0.1", $"listening-port={port}",
            $"min-port={relayBase}", $"max-port={relayBase + 199}",
            "no-tcp", "no-tls", "no-dtls", "no-cli", "no-rfc5780", "no-software-attribute", "allow-loopback-peers",
            "lt-cred-mech", $"realm={Realm}", $"user={user}:{password}", $"userdb={Path.Combine(folder, "turndb")}",
            "log-file=stdout", "simple-log", "verbose", $"pidfile={Path.Combine(folder, "turnserver.pid")}", "");
        var configPath = Path.Combine(folder, "turnserver.conf");
        await File.WriteAllTextAsync(configPath, config);
        var start = new ProcessStartInfo(TurnServerPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(configPath);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start turnserver");
        var server = new CoturnServer(process, folder, port, user, password);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitForLineAsync(l => l.Contains($"UDP listener opened on: 127.0.0.1:{port}", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>The first log line (already written or still to come) that <paramref name="match"/> accepts.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            if (_lines.FirstOrDefault(match) is { } line) return Task.FromResult(line);
            _waiters.Add((match, found));
        }
        return WaitAsync(found.Task, timeout);
    }

    private async Task<string> WaitAsync(Task<string> found, TimeSpan timeout)
    {
        try
        {
            return await found.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"coturn logged no such line within {timeout.TotalSeconds} s; its log:\n{Log}");
        }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        List<TaskCompletionSource<string>> matched = [];
        lock (_lines)
        {
            _lines.Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(line)) continue;
                matched.Add(_waiters[i].Found);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var found in matched) found.TrySetResult(line);
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>The turn: URL of this server, e.g. for <c>WebRtc:IceServers</c>.</summary>
    public string TurnUrl => string.Create(CultureInfo.InvariantCulture, $"turn:127.0.0.1:{Port}");

    /// <summary>The stun: URL of this server.</summary>
    public string StunUrl => string.Create(CultureInfo.InvariantCulture, $"stun:127.0.0.1:{Port}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
