using System.Diagnostics;
using System.Globalization;

namespace LiveHost.TestSupport;

/// <summary>
/// A real nginx with the RTMP module, for tests: one process (master_process off, daemon off) listening on a
/// free 127.0.0.1 port, with its config, pid, logs and temp files in a fresh temp folder that dispose removes.
/// <see cref="StopAsync"/> kills it (a crash, as far as clients can tell); <see cref="StartAsync"/> brings it
/// back on the same port.
/// </summary>
/// <remarks>
/// <c>meta copy</c> makes nginx relay the publisher's onMetaData as sent; its default (<c>meta on</c>) rebuilds
/// the metadata from the fields it knows, which would drop custom ones such as LiveHost's AIGC label.
/// </remarks>
public sealed class NginxRtmpServer : IAsyncDisposable
{
    public const string NginxPath = "/usr/sbin/nginx";
    public const string RtmpModulePath = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
    public const string Application = "live";

    private Process? _process;
    private readonly string? _notifyUrl;

    private NginxRtmpServer(int port, string folder, string? notifyUrl = null)
    {
        Port = port;
        Folder = folder;
        _notifyUrl = notifyUrl;
    }

    public int Port { get; }

    /// <summary>The temp folder with nginx.conf, error.log and the pid file.</summary>
    public string Folder { get; }

    public bool IsRunning => _process is { HasExited: false };

    public string ErrorLogPath => Path.Combine(Folder, "error.log");

    public string RtmpUrl(string streamKey) => $"rtmp://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{Application}/{streamKey}";

    /// <summary>Creates the server on a free port and starts it.</summary>
    public static Task<NginxRtmpServer> StartNewAsync(CancellationToken cancellationToken = default) => StartNewAsync(null, cancellationToken);

    /// <summary>
    /// Creates the server on a free port and starts it; with <paramref name="notifyUrl"/>, nginx-rtmp POSTs
    /// <c>call=publish</c> and <c>call=publish_done</c> (with <c>name</c>, the stream key) there as streams start and
    /// end (its on_publish / on_publish_done; see <see cref="RtmpNotifyListener"/>).
    /// </summary>
    public static async Task<NginxRtmpServer> StartNewAsync(string? notifyUrl, CancellationToken cancellationToken = default)
    {
        EnsureInstalled();
        var folder = Directory.CreateTempSubdirectory("livehost-nginx-").FullName;
        var server = new NginxRtmpServer(FreePort.GetLoopbackTcpPort(), folder, notifyUrl);
        try
        {
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public static void EnsureInstalled()
    {
        if (!File.Exists(NginxPath) || !File.Exists(RtmpModulePath))
        {
            throw new InvalidOperationException(
                $"nginx with the RTMP module is needed ({NginxPath}, {RtmpModulePath}); install the apt packages: nginx libnginx-mod-rtmp");
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning) return;
        _process = await NginxProcess.StartAsync(Folder, BuildConfig(), ErrorLogPath, Port, cancellationToken);
    }

    // The rtmp module writes no temp files (record off); nginx's own relative paths resolve under -p, the folder.
    private string BuildConfig() => $$"""
        load_module {{RtmpModulePath}};
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{Folder}}/nginx.pid;
        error_log {{ErrorLogPath}} info;
        events { worker_connections 256; }
        rtmp {
            server {
                listen 127.0.0.1:{{Port}};
                chunk_size 4096;
                application {{Application}} {
                    live on;
                    record off;
                    meta copy;{{Notify}}
                }
            }
        }
        """;

    private string Notify => _notifyUrl is null ? "" : $"\n                    on_publish {_notifyUrl};\n                    on_publish_done {_notifyUrl};";

    /// <summary>Kills nginx, dropping every connection at once, and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        await NginxProcess.StopAsync(process);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        NginxProcess.RemoveFolder(Folder);
    }
}
