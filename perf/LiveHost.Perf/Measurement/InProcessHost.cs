using System.Net;
using System.Net.Sockets;
using LiveHost.Host.Rooms;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LiveHost.Perf.Measurement;

/// <summary>
/// The real host (<c>Program</c>, every real part) in this process on a free loopback port, with the checkout's
/// <c>src/LiveHost.Host</c> as content root, a temporary data folder and warnings-only logs; stopped and cleaned up after.
/// </summary>
public static class InProcessHost
{
    /// <param name="configure">The benchmark's own settings (keys, rooms...), applied after the defaults above.</param>
    /// <param name="run">The measurement, given the started host and its port.</param>
    public static async Task<T> RunAsync<T>(string dataPrefix, Action<IWebHostBuilder> configure, Func<WebApplicationFactory<LiveRooms>, int, Task<T>> run)
    {
        var data = Directory.CreateTempSubdirectory(dataPrefix);
        try
        {
            var port = FreeTcpPort();
            var factory = new WebApplicationFactory<LiveRooms>().WithWebHostBuilder(b =>
            {
                b.UseContentRoot(HostContentRoot());
                b.UseSetting("Storage:DataDirectory", data.FullName);
                b.UseSetting("Logging:LogLevel:Default", "Warning");
                configure(b);
            });
            try
            {
                factory.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
                factory.StartServer();
                return await run(factory, port);
            }
            finally
            {
                try { await factory.DisposeAsync(); }
                catch (ObjectDisposedException ex) { System.Console.Error.WriteLine($"warning: the host threw while stopping: {ex.Message}"); }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { data.Delete(recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>src/LiveHost.Host above the binaries or the working directory (the host's appsettings.json).</summary>
    public static string HostContentRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "src", "LiveHost.Host");
                if (File.Exists(Path.Combine(candidate, "appsettings.json"))) return candidate;
            }
        }
        throw new InvalidOperationException("src/LiveHost.Host not found above " + AppContext.BaseDirectory);
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
