using System.Diagnostics;
using System.Globalization;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using LiveHost.Perf.Measurement;
using LiveHost.TestSupport;

namespace LiveHost.Perf.WebRtc.Janus;

/// <summary>
/// Debian's Janus (1.1.2, <c>apt-get install janus</c>; scripts/install-deps.sh --perf) as the benchmark runs it: a
/// configuration written to a temporary folder (the HTTP transport on loopback, the streaming plugin with one RTP
/// mountpoint for the room's Opus and H.264, every other plugin and transport off, no session timeout), started as a
/// child process and killed at the end. Janus gathers ICE candidates on the machine's first IPv4 interface (it skips
/// loopback); every packet stays on this machine.
/// </summary>
public sealed class JanusServer : IAsyncDisposable
{
    public const int MountpointId = 1;
    public const byte AudioPayloadType = 111;
    public const byte VideoPayloadType = 96;

    private readonly Process _process;
    private readonly DirectoryInfo _folder;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    private JanusServer(Process process, DirectoryInfo folder, int httpPort, int audioPort, int videoPort)
    {
        _process = process;
        _folder = folder;
        HttpBase = new Uri($"http://127.0.0.1:{httpPort}/janus");
        AudioPort = audioPort;
        VideoPort = videoPort;
    }

    public Uri HttpBase { get; }
    public int AudioPort { get; }
    public int VideoPort { get; }
    public int Pid => _process.Id;

    /// <summary>Janus's last lines of output (for a failure's message).</summary>
    public string RecentLog => string.Join(Environment.NewLine, _log.TakeLast(30));

    /// <summary>Janus's CPU so far (user + system, /proc/&lt;pid&gt;/stat).</summary>
    public TimeSpan Cpu => ProcFs.ProcessCpu(_process.Id) ?? TimeSpan.Zero;

    public static async Task<JanusServer> StartAsync(CancellationToken cancellationToken)
    {
        const string Binary = "/usr/bin/janus";
        if (!File.Exists(Binary)) throw new InvalidOperationException("Janus is not installed: apt-get install -y janus (scripts/install-deps.sh --perf)");
        var folder = Directory.CreateTempSubdirectory("livehost-janus-");
        var (http, audio, video) = (FreePort.GetLoopbackTcpPort(), FreeUdpPort(), FreeUdpPort());
        var library = "/usr/lib/x86_64-linux-gnu/janus";
        var disabledPlugins = string.Join(",", Directory.EnumerateFiles(Path.Combine(library, "plugins"), "*.so").Select(Path.GetFileName).Where(f => f != "libjanus_streaming.so"));
        var disabledTransports = string.Join(",", Directory.EnumerateFiles(Path.Combine(library, "transports"), "*.so").Select(Path.GetFileName).Where(f => f != "libjanus_http.so"));
        var enforce = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.OperationalStatus == OperationalStatus.Up
            && n.NetworkInterfaceType != NetworkInterfaceType.Loopback
            && n.GetIPProperties().UnicastAddresses.Any(a => a.Address.AddressFamily == AddressFamily.InterNetwork))?.Name ?? "eth0";
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "janus.jcfg"), $$"""
            general: {
                configs_folder = "{{folder.FullName}}"
                plugins_folder = "{{library}}/plugins"
                transports_folder = "{{library}}/transports"
                events_folder = "{{library}}/events"
                loggers_folder = "{{library}}/loggers"
                debug_level = 3
                session_timeout = 0
            }
            media: { rtp_port_range = "40000-59999" }
            nat: { ice_enforce_list = "{{enforce}}" ignore_mdns = true }
            plugins: { disable = "{{disabledPlugins}}" }
            transports: { disable = "{{disabledTransports}}" }
            events: { broadcast = false }
            loggers: { disable = "libjanus_jsonlog.so" }
            """, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "janus.transport.http.jcfg"), $$"""
            general: { json = "compact" base_path = "/janus" http = true port = {{http}} ip = "127.0.0.1" https = false }
            admin: { admin_http = false }
            """, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "janus.plugin.streaming.jcfg"), string.Create(CultureInfo.InvariantCulture, $$"""
            general: { }
            fanout: {
                type = "rtp"
                id = {{MountpointId}}
                description = "LiveHost fan-out benchmark"
                media = (
                    { type = "audio" mid = "a" label = "audio" port = {{audio}} pt = {{AudioPayloadType}} codec = "opus" },
                    { type = "video" mid = "v" label = "video" port = {{video}} pt = {{VideoPayloadType}} codec = "h264" fmtp = "profile-level-id=42e01f;packetization-mode=1" }
                )
            }
            """), cancellationToken);
        var start = new ProcessStartInfo(Binary, ["-C", Path.Combine(folder.FullName, "janus.jcfg"), "-F", folder.FullName, "--disable-colors"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("janus did not start");
        var server = new JanusServer(process, folder, http, audio, video);
        var log = server._log;
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) Keep(log, line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Keep(log, line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient();
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        while (true)
        {
            try
            {
                using var info = await client.GetAsync(new Uri(server.HttpBase + "/info"), cancellationToken);
                if (info.IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (process.HasExited || Stopwatch.GetTimestamp() > deadline)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException("janus did not answer on HTTP: " + string.Join(Environment.NewLine, log.TakeLast(20)));
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> log, string line)
    {
        log.Enqueue(line);
        while (log.Count > 200) log.TryDequeue(out _);
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _folder.Delete(recursive: true);
    }
}
