using LiveHost.Engine.Options;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using LiveHost.Host.Avatars;
using LiveHost.Host.Outputs;
using LiveHost.Host.Rooms;
using LiveHost.Storage.Postgres;
using LiveHost.WebRtc;

namespace LiveHost.Host.Cluster;

/// <summary>
/// Starting and stopping the rooms this node takes under a lease, with the same parts as rooms made at start or by an
/// admin: a room is built from its settings (its state read back from the shared store as it is built: queue, paused,
/// looping script), started (encoder, configured outputs, then the outputs added at run time as the shared store keeps
/// them, paused or not), made reachable and its clock started; stopping ends its media, takes it out, and forgets what
/// the process kept for it (WebRTC stream, show, avatar), so it can come back.
/// </summary>
/// <remarks>
/// The rooms are those of the configuration and those made at run time (<see cref="PostgresRuntimeRooms"/>), whose list
/// is read again at each <see cref="Refresh"/> (every placement round) and whose settings are read when the room starts.
/// </remarks>
public sealed partial class ClusterRooms(LiveRooms live, IReadOnlyDictionary<string, RoomOptions> rooms, Func<string, RoomOptions, LiveRoom> build,
    WebRtcService? webRtc, ShowLibrary? show, AvatarFactory? avatars, PostgresRoomOutputs outputs, PostgresRuntimeRooms runtime,
    System.Collections.Concurrent.ConcurrentDictionary<string, LiveHost.Engine.Moderation.ModerationMode> moderation, ILogger<ClusterRooms> logger)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    private volatile IReadOnlyCollection<string> _runtime = [];

    private LiveRooms Live => live;

    public IReadOnlyCollection<string> Known => [.. rooms.Keys, .. _runtime.Where(r => !rooms.ContainsKey(r))];

    public IReadOnlyList<string> Running => [.. Live.All.Select(r => r.Name)];

    public bool Knows(string room) => rooms.ContainsKey(room) || _runtime.Contains(room);

    public bool IsConfigured(string room) => rooms.ContainsKey(room);

    /// <summary>Reads the list of rooms made at run time again (throws <see cref="Engine.Persistence.StorageFailedException"/> when the store fails).</summary>
    public void Refresh() => _runtime = [.. runtime.All().Keys];

    public static string Serialize(RoomOptions options) => System.Text.Json.JsonSerializer.Serialize(options, Json);

    // A configured room's settings, or a run-time room's as the store has them now.
    private RoomOptions OptionsOf(string room) =>
        rooms.TryGetValue(room, out var configured) ? configured
        : runtime.Find(room) is { } json ? System.Text.Json.JsonSerializer.Deserialize<RoomOptions>(json, Json) ?? throw new InvalidOperationException($"room '{room}': its stored settings are empty")
        : throw new InvalidOperationException($"room '{room}' is neither configured nor made at run time (it was removed)");

    public async Task StartAsync(string room, CancellationToken cancellationToken)
    {
        var options = OptionsOf(room);
        moderation[room] = options.Moderation.Mode;
        var made = build(room, options);
        try
        {
            // Configured outputs start with the room; those an admin had paused on the previous owner start paused.
            made.Outputs.HoldPaused(outputs.ConfiguredPaused(room));
            await made.StartAsync(cancellationToken);
            RestoreOutputs(made);
        }
        catch
        {
            await made.DisposeAsync();
            await ForgetAsync(room);
            throw;
        }
        Live.Add(made);
        made.StartTicking();
    }

    /// <summary>Stops the room if it runs here; false when it did not.</summary>
    public async Task<bool> StopAsync(string room, string reason)
    {
        var live = Live.Remove(room);
        if (live is null) return false;
        await live.StopAsync(reason);
        await live.DisposeAsync();
        await ForgetAsync(room);
        return true;
    }

    // In the order they were added, after the configured ones: the same ids as on the previous owner unless some were
    // removed in between (each kind counts its outputs afresh on a new owner); the store follows the new ids.
    private void RestoreOutputs(LiveRoom room)
    {
        foreach (var stored in outputs.List(room.Name))
        {
            OutputState added;
            try
            {
                added = room.AddOutput(RoomOutputs.ToTarget(ClusterRoomOutputs.Request(stored)));
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
            {
                // Refused here (e.g. its host no longer resolves to an address outputs may reach): kept in the store, said in the log.
                LogOutputNotRestored(logger, room.Name, stored.Id, ex.Message);
                continue;
            }
            if (stored.Paused) room.Outputs.Pause(added.Id);
            if (added.Id != stored.Id) outputs.Renumber(room.Name, stored.Id, added.Id);
            LogOutputRestored(logger, room.Name, added.Id, stored.Paused ? "paused" : "publishing");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster: room {Room}'s run-time output {Output} started again ({State})")]
    private static partial void LogOutputRestored(ILogger logger, string room, string output, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster: room {Room}'s run-time output {Output} could not be started again: {Reason}")]
    private static partial void LogOutputNotRestored(ILogger logger, string room, string output, string reason);

    private async Task ForgetAsync(string room)
    {
        if (webRtc is not null) await webRtc.RemoveRoomAsync(room);
        show?.RemoveRoom(room);
        avatars?.Forget(room);
    }
}
