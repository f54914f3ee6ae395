using System.Diagnostics;

namespace LiveHost.TestSupport;

/// <summary>
/// One foreground nginx (daemon off, master_process off) for tests, with its config, pid and logs in a folder: started
/// and waited for until it accepts TCP on 127.0.0.1:port, or killed. <see cref="NginxRtmpServer"/> and
/// <see cref="NginxTlsProxy"/> differ only in their config.
/// </summary>
internal static class NginxProcess
{
    public static async Task<Process> StartAsync(string folder, string config, string errorLogPath, int port, CancellationToken cancellationToken)
    {
        var configPath = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config, cancellationToken);
        var start = new ProcessStartInfo(NginxRtmpServer.NginxPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -e: nginx opens its default error log before reading the config; keep even that in our folder.
        foreach (var argument in new[] { "-p", folder + "/", "-c", configPath, "-e", errorLogPath }) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start nginx");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!await FreePort.AcceptsAsync(port, cancellationToken))
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                var log = File.Exists(errorLogPath) ? await File.ReadAllTextAsync(errorLogPath, cancellationToken) : "(no error log)";
                await StopAsync(process);
                throw new InvalidOperationException($"nginx did not start listening on 127.0.0.1:{port}:\n{log}");
            }
            await Task.Delay(50, cancellationToken);
        }
        return process;
    }

    /// <summary>Kills nginx, dropping every connection at once, and waits for it to exit.</summary>
    public static async Task StopAsync(Process? process)
    {
        if (process is null) return;
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Removes nginx's temp folder; one still in use (a log being written) is left for the OS to clean.</summary>
    public static void RemoveFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
