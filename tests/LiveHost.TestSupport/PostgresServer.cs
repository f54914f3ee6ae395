using System.Diagnostics;

namespace LiveHost.TestSupport;

/// <summary>
/// A PostgreSQL server of its own for tests: Debian's binaries (<c>initdb</c>, <c>pg_ctl</c>; installed by
/// <c>scripts/install-deps.sh --test</c>), a cluster made by initdb in a temp folder, listening on 127.0.0.1 on a free
/// port (trust authentication for the user <see cref="User"/>, fsync off), stopped and deleted by
/// <see cref="DisposeAsync"/>. PostgreSQL refuses to run as root, so under root the server runs as the
/// <c>postgres</c> user the Debian package makes (<c>runuser</c>). <see cref="StopAsync"/> and
/// <see cref="StartAsync"/> take it down and bring it back on the same port and data, for outage tests.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string User = "livehost";

    private static readonly Lazy<string?> BinFolder = new(FindBinFolder);
    private readonly string _folder;

    private PostgresServer(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Why no server can be started here (the binaries are absent), or null when one can.</summary>
    public static string? MissingReason => BinFolder.Value is null
        ? "PostgreSQL's binaries (initdb, pg_ctl) are not installed: run scripts/install-deps.sh --test (Debian package postgresql)"
        : null;

    private static bool RunsAsRoot => Environment.UserName == "root";

    private string DataFolder => Path.Combine(_folder, "data");

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username={User};Pooling=true;Timeout=5;Command Timeout=30";

    public static async Task<PostgresServer> StartNewAsync()
    {
        if (MissingReason is { } missing) throw new InvalidOperationException(missing);
        var folder = Directory.CreateTempSubdirectory("livehost-pg-").FullName;
        // Under root the server runs as postgres, which must be able to write here.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, (UnixFileMode)0x1FF);
        var server = new PostgresServer(folder, FreePort.GetLoopbackTcpPort());
        try
        {
            await server.RunServerToolAsync("initdb", "-D", server.DataFolder, "-U", User, "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C.UTF-8");
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again) and returns once it accepts connections (pg_ctl -w).</summary>
    public Task StartAsync() => RunServerToolAsync("pg_ctl", "-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
        "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {_folder} -c fsync=off -c full_page_writes=off -c max_connections=200", "start");

    /// <summary>Stops the server at once (immediate mode: every connection dropped, like a crash) and returns once it is down.</summary>
    public Task StopAsync() => RunServerToolAsync("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop");

    /// <summary>Makes an empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t" + Guid.NewGuid().ToString("N");
        await RunAsync(Tool("createdb"), ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", User, name]);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            try { await StopAsync(); } catch (InvalidOperationException) { }
        }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private Task RunServerToolAsync(string tool, params string[] arguments) =>
        RunsAsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Tool(tool), .. arguments]) : RunAsync(Tool(tool), arguments);

    private async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        // pg_ctl's server keeps no handle on these pipes (its output goes to the -l log), so reading to the end returns.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_folder, "server.log");
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}" +
                (File.Exists(log) ? "\nserver log:\n" + await File.ReadAllTextAsync(log) : ""));
        }
    }

    private static string Tool(string name) => Path.Combine(BinFolder.Value!, name);

    // Debian keeps them in /usr/lib/postgresql/{version}/bin (not on PATH); elsewhere they are usually on PATH.
    private static string? FindBinFolder()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
            : null;
        return debian ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(p => File.Exists(Path.Combine(p, "initdb")) && File.Exists(Path.Combine(p, "pg_ctl")));
    }
}
