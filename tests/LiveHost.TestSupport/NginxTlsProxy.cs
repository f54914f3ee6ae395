using System.Diagnostics;
using System.Globalization;

namespace LiveHost.TestSupport;

/// <summary>
/// RTMPS for tests the way it is usually deployed: nginx's stream module terminating TLS on a free 127.0.0.1 port and
/// passing the plain bytes to an nginx-rtmp server (<c>stream { server { listen ssl; proxy_pass rtmp; } }</c>). Its own
/// nginx process, so a test can kill and restart the TLS front alone; the certificate is a <see cref="TestCertificateAuthority"/>'s.
/// </summary>
public sealed class NginxTlsProxy : IAsyncDisposable
{
    public const string StreamModulePath = "/usr/lib/nginx/modules/ngx_stream_module.so";

    private readonly int _upstreamPort;
    private readonly TestCertificateAuthority _authority;
    private Process? _process;

    private NginxTlsProxy(int port, int upstreamPort, TestCertificateAuthority authority, string folder)
    {
        Port = port;
        _upstreamPort = upstreamPort;
        _authority = authority;
        Folder = folder;
    }

    public int Port { get; }

    public string Folder { get; }

    public string ErrorLogPath => Path.Combine(Folder, "error.log");

    public string RtmpsUrl(string streamKey) =>
        $"rtmps://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{NginxRtmpServer.Application}/{streamKey}";

    /// <summary>Starts TLS on a free port in front of 127.0.0.1:<paramref name="upstreamPort"/> with the authority's server certificate.</summary>
    public static async Task<NginxTlsProxy> StartNewAsync(int upstreamPort, TestCertificateAuthority authority, CancellationToken cancellationToken = default)
    {
        NginxRtmpServer.EnsureInstalled();
        if (!File.Exists(StreamModulePath))
        {
            throw new InvalidOperationException($"nginx's stream module is needed ({StreamModulePath}); install the apt package libnginx-mod-stream");
        }
        var folder = Directory.CreateTempSubdirectory("livehost-nginx-tls-").FullName;
        var proxy = new NginxTlsProxy(FreePort.GetLoopbackTcpPort(), upstreamPort, authority, folder);
        try
        {
            await proxy.StartAsync(cancellationToken);
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false }) return;
        _process = await NginxProcess.StartAsync(Folder, BuildConfig(), ErrorLogPath, Port, cancellationToken);
    }

    private string BuildConfig() => $$"""
        load_module {{StreamModulePath}};
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{Folder}}/nginx.pid;
        error_log {{ErrorLogPath}} info;
        events { worker_connections 256; }
        stream {
            server {
                listen 127.0.0.1:{{Port}} ssl;
                ssl_certificate {{_authority.ServerCertificatePemPath}};
                ssl_certificate_key {{_authority.ServerKeyPemPath}};
                ssl_protocols TLSv1.2 TLSv1.3;
                proxy_pass 127.0.0.1:{{_upstreamPort}};
            }
        }
        """;

    /// <summary>Kills the TLS front, dropping its connections at once (the RTMP server behind it keeps running).</summary>
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
