using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHost.Host.Tests;

/// <summary>
/// The real host restarted on the same data folder keeps what producers set; a database it cannot use stops the real
/// process with one line and exit code 3.
/// </summary>
public sealed class StorageRestartTests : IDisposable
{
    private const string ProducerKey = "restart-producer-key-0123456789";
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(60);
    private readonly string _data = Directory.CreateTempSubdirectory("livehost-restart-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_paused_room_is_still_paused_after_a_restart_and_its_queued_line_waits()
    {
        string id;
        await using (var before = Server())
        {
            using var client = Client(before);
            var paused = await client.PostAsync("/api/rooms/main/pause", null);
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            Assert.True((await paused.Content.ReadFromJsonAsync<RoomState>())!.Paused);
            var post = await client.PostAsJsonAsync("/api/rooms/main/lines", new { text = "Wait for the producer." });
            id = (await post.Content.ReadFromJsonAsync<LineTicket>())!.Id;
        }

        await using var after = Server();
        using var again = Client(after);
        var state = await again.GetFromJsonAsync<RoomState>("/api/rooms/main");
        Assert.True(state!.Paused);
        Assert.Null(state.Current);
        Assert.Equal(id, Assert.Single(state.Queue).Id);
    }

    [Fact]
    public async Task A_line_speaking_when_the_server_stopped_is_spoken_again_and_a_client_connecting_right_after_the_restart_sees_it()
    {
        const string Text = "This line is long enough to still be speaking when the server goes down, and it must be spoken again in full after it comes back.";
        string id;
        await using (var before = Server())
        {
            var started = new TaskCompletionSource<Line>(TaskCreationOptions.RunContinuationsAsynchronously);
            var hub = await ConnectAsync(before, c => c.On<Line>("LineStarted", l => started.TrySetResult(l)));
            id = (await hub.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, Text))).Id;
            Assert.Equal(id, (await started.Task.WaitAsync(LineTimeout)).Id);
            await hub.DisposeAsync();
        }

        await using var after = Server();
        var startedAgain = new TaskCompletionSource<Line>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource<Line>(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = await ConnectAsync(after, c =>
        {
            c.On<Line>("LineStarted", l => { if (l.Id == id) startedAgain.TrySetResult(l); });
            c.On<Line>("LineFinished", l => { if (l.Id == id) finished.TrySetResult(l); });
        });
        var state = await client.InvokeAsync<RoomState>("Subscribe");

        // The room's clock starts once the server takes connections: the replayed line is either already the state's
        // current line (its LineStarted went out before this client was there) or still to start, and then this
        // client receives its LineStarted. Either way the client learns of it, then of its one LineFinished.
        var seen = state.Current?.Id == id || (state.Queue.Count > 0 && state.Queue[0].Id == id && (await startedAgain.Task.WaitAsync(LineTimeout)).Id == id);
        Assert.True(seen, $"the replayed line was neither current nor started: current {state.Current?.Id}, queue [{string.Join(",", state.Queue.Select(l => l.Id))}]");
        var done = await finished.Task.WaitAsync(LineTimeout);
        Assert.Equal(FinishReason.Completed, done.Reason);
    }

    [Fact]
    public async Task A_corrupt_database_stops_the_real_process_with_exit_code_3_and_one_line_naming_it()
    {
        var database = Path.Combine(_data, "livehost.db");
        await File.WriteAllTextAsync(database, new string('x', 8192));

        var (exitCode, stderr) = await RunHostProcessAsync(new() { ["Storage__DataDirectory"] = _data });

        Assert.Equal(3, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(database, line, StringComparison.Ordinal);
        Assert.Contains("Storage:MoveAsideCorruptDatabase=true", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unwritable_storage_stops_the_real_process_with_exit_code_3_instead_of_a_dead_room()
    {
        // A file where the data folder should be: no user, root included, can create the database there.
        var blocked = Path.Combine(_data, "a-file");
        await File.WriteAllTextAsync(blocked, "");

        var (exitCode, stderr) = await RunHostProcessAsync(new() { ["Storage__DataDirectory"] = Path.Combine(blocked, "data") });

        Assert.Equal(3, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("cannot open", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_MoveAsideCorruptDatabase_the_server_starts_on_a_fresh_database_and_keeps_the_old_file()
    {
        var database = Path.Combine(_data, "livehost.db");
        await File.WriteAllTextAsync(database, new string('x', 8192));

        await using var server = Server(("Storage:MoveAsideCorruptDatabase", "true"));
        using var client = Client(server);
        var post = await client.PostAsJsonAsync("/api/rooms/main/lines", new { text = "On a fresh database." });

        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var aside = Assert.Single(Directory.GetFiles(_data, "livehost.db.corrupt-*"));
        Assert.Equal(new string('x', 8192), await File.ReadAllTextAsync(aside));
    }

    private WebApplicationFactory<Program> Server(params (string Key, string Value)[] settings)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", _data);
            b.UseSetting("Rooms:main:Width", "320");
            b.UseSetting("Rooms:main:Height", "240");
            b.UseSetting("Auth:Keys:0:Key", ProducerKey);
            b.UseSetting("Auth:Keys:0:Role", "producer");
            foreach (var (key, value) in settings) b.UseSetting(key, value);
        });
        _ = factory.Server;
        return factory;
    }

    private static HttpClient Client(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ProducerKey);
        return client;
    }

    private static async Task<HubConnection> ConnectAsync(WebApplicationFactory<Program> factory, Action<HubConnection> beforeStart)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, "/hubs/control"), options =>
            {
                options.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
                options.AccessTokenProvider = () => Task.FromResult<string?>(ProducerKey);
            })
            .Build();
        beforeStart(connection);
        await connection.StartAsync();
        return connection;
    }

    // The built host, started as its own process the way `dotnet LiveHost.Host.dll` starts it.
    private async Task<(int ExitCode, string Stderr)> RunHostProcessAsync(Dictionary<string, string> environment)
    {
        var dll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _data,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the host did not stop within 60 s; it printed: {await stdout}");
        }
        return (process.ExitCode, await stderr);
    }
}
