using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace LiveHost.Host.Tests.Whip;

/// <summary>
/// whip_endpoint.py (Debian's python3-aiortc) as a child process: a WHIP endpoint on 127.0.0.1 that decodes what it
/// receives and reports it as JSON lines, read here as events. Dispose kills it.
/// </summary>
public sealed class WhipEndpoint : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly List<string> _stderr = [];

    private WhipEndpoint(Process process) => _process = process;

    public int Port { get; private set; }

    public string RecentErrors
    {
        get
        {
            lock (_stderr) return string.Join('\n', _stderr.TakeLast(30));
        }
    }

    public static async Task<WhipEndpoint> StartAsync(string token, int port = 0)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script());
        start.ArgumentList.Add("--token");
        start.ArgumentList.Add(token);
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var endpoint = new WhipEndpoint(Process.Start(start) ?? throw new InvalidOperationException("could not start python3"));
        endpoint._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && line[0] == '{') endpoint._events.Writer.TryWrite(JsonDocument.Parse(line).RootElement.Clone());
        };
        endpoint._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (endpoint._stderr) endpoint._stderr.Add(e.Data);
        };
        endpoint._process.BeginOutputReadLine();
        endpoint._process.BeginErrorReadLine();
        var listening = await endpoint.NextAsync("listening", TimeSpan.FromSeconds(30));
        endpoint.Port = listening.GetProperty("port").GetInt32();
        return endpoint;
    }

    /// <summary>The next event named <paramref name="name"/> (earlier events of other names are skipped).</summary>
    public async Task<JsonElement> NextAsync(string name, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var next = await _events.Reader.ReadAsync(cancel.Token);
                if (next.GetProperty("event").GetString() == name) return next;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the WHIP endpoint reported no '{name}' within {timeout.TotalSeconds} s; its stderr:\n{RecentErrors}");
        }
    }

    /// <summary>SIGKILL, as a crashed endpoint: no DELETE, no DTLS close.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    private static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "LiveHost.Host.Tests", "Whip", "whip_endpoint.py");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("whip_endpoint.py not found above " + AppContext.BaseDirectory);
    }
}
