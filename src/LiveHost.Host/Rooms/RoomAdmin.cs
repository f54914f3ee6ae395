using System.Collections.Concurrent;
using LiveHost.ControlPlane;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Options;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using LiveHost.Host.Avatars;
using LiveHost.WebRtc;

namespace LiveHost.Host.Rooms;

/// <summary>
/// Rooms made and removed at run time by an admin. A new room is validated like a configured one, counted against
/// <see cref="RoomAdminOptions.MaxRooms"/>, built with the same parts (<paramref name="build"/>, from Program), started
/// (encoder, outputs, clock) and only then stored in <see cref="RuntimeRoomStore"/> and made reachable; anything that
/// fails on the way undoes what was done and refuses the request. Rooms from the configuration are not changed here.
/// One change at a time.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification =
    "Its one disposable, the _gate SemaphoreSlim, lives as long as the server and, without AvailableWaitHandle, holds nothing unmanaged.")]
public sealed class RoomAdmin(
    LiveRooms rooms,
    Func<string, RoomOptions, LiveRoom> build,
    RuntimeRoomStore store,
    RoomAdminOptions options,
    IReadOnlyCollection<string> configured,
    ConcurrentDictionary<string, ModerationMode> moderation,
    WebRtcService? webRtc = null,
    ShowLibrary? show = null,
    AvatarFactory? avatars = null,
    Capacity.CapacityMonitor? capacity = null) : IRoomAdmin
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<(RoomState State, bool Created)> PutAsync(string room, RoomSettingsRequest settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var roomOptions = ToOptions(room, settings);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            RefuseConfigured(room);
            var stored = store.Load();
            var existing = rooms.All.FirstOrDefault(r => r.Name == room);
            if (existing is null && rooms.All.Count >= options.MaxRooms)
            {
                throw new CommandRejectedException(RejectionCode.NoCapacity,
                    $"this server already runs {rooms.All.Count} rooms, its configured maximum ({RoomAdminOptions.SectionName}:MaxRooms = {options.MaxRooms}): remove a room or raise the limit");
            }
            // Past the CPU target a new room is still made, with a warning (capacity, issue 14).
            if (existing is null) capacity?.RoomAdding(room, Capacity.RoomKinds.Of(roomOptions));
            if (existing is not null) await RemoveAsync(existing);
            var made = await StartAsync(room, roomOptions, cancellationToken);
            stored[room] = roomOptions;
            try
            {
                store.Save(stored);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await RemoveAsync(made);
                throw new CommandRejectedException(RejectionCode.StorageFailed, $"storage is failing: {store.Path} could not be written ({ex.Message.TrimEnd('.')}); the room was not made");
            }
            rooms.Add(made);
            return (made.Controller.GetState(), existing is null);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task DeleteAsync(string room, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            RefuseConfigured(room);
            var existing = rooms.All.FirstOrDefault(r => r.Name == room)
                ?? throw new CommandRejectedException(RejectionCode.UnknownRoom, $"unknown room '{(room.Length <= 64 ? room : room[..64] + "...")}'");
            var stored = store.Load();
            stored.Remove(room);
            try
            {
                store.Save(stored);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CommandRejectedException(RejectionCode.StorageFailed, $"storage is failing: {store.Path} could not be written ({ex.Message.TrimEnd('.')}); the room was not removed");
            }
            await RemoveAsync(existing);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void RefuseConfigured(string room)
    {
        if (configured.Contains(room)) throw ConfiguredRefusal(room);
    }

    /// <summary>The answer to changing or removing a room of the configuration at run time.</summary>
    public static CommandRejectedException ConfiguredRefusal(string room) =>
        new(RejectionCode.InvalidInput, $"room '{room}' comes from the server's configuration (Rooms:{room}); change or remove it there");

    private async Task<LiveRoom> StartAsync(string room, RoomOptions roomOptions, CancellationToken cancellationToken)
    {
        moderation[room] = roomOptions.Moderation.Mode;
        LiveRoom made;
        try
        {
            made = build(room, roomOptions);
        }
        catch (Exception ex) when (ex is LiveHost.Avatars.Packages.AvatarPackageRejectedException)
        {
            await ForgetAsync(room);
            throw new CommandRejectedException(RejectionCode.AvatarRefused, $"room '{room}' was not made: {ex.Message}");
        }
        try
        {
            await made.StartAsync(cancellationToken);
            made.StartTicking();
            return made;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            await made.DisposeAsync();
            await ForgetAsync(room);
            throw new CommandRejectedException(RejectionCode.InvalidInput, $"room '{room}' was not made: {ex.Message}");
        }
    }

    private async Task RemoveAsync(LiveRoom room)
    {
        rooms.Remove(room.Name);
        await room.StopAsync("the room was removed by an admin");
        await room.DisposeAsync();
        await ForgetAsync(room.Name);
    }

    private async Task ForgetAsync(string room)
    {
        if (webRtc is not null) await webRtc.RemoveRoomAsync(room);
        show?.RemoveRoom(room);
        avatars?.Forget(room);
        moderation.TryRemove(room, out _);
    }

    /// <summary>The request as room settings, checked as a configured room is (every problem named).</summary>
    public static RoomOptions ToOptions(string room, RoomSettingsRequest settings)
    {
        var defaults = new RoomOptions();
        var roomOptions = new RoomOptions
        {
            Language = settings.Language ?? defaults.Language,
            Width = settings.Width ?? defaults.Width,
            Height = settings.Height ?? defaults.Height,
            Fps = settings.Fps ?? defaults.Fps,
            Avatar = settings.Avatar ?? defaults.Avatar,
            MouthSource = settings.MouthSource ?? defaults.MouthSource,
            Outputs = [.. (settings.Outputs ?? []).Select(url => new OutputOptions { Url = url })],
        };
        var errors = new List<string>(roomOptions.Validate(room));
        if (settings.Moderation is { } mode)
        {
            if (Enum.TryParse<ModerationMode>(mode, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)) roomOptions.Moderation = new RoomModerationOptions { Mode = parsed };
            else errors.Add($"Rooms:{room}:Moderation:Mode must be \"block\", \"review\" or \"off\" (was \"{mode}\").");
        }
        if (!roomOptions.IsCartoon && !File.Exists(Path.Combine(roomOptions.Avatar, LiveHost.Avatars.Packages.AvatarPackageManifest.FileName)))
        {
            errors.Add($"Rooms:{room}:Avatar must be a built-in look (cartoon, cartoon-b, cartoon-fullbody) or an avatar package directory; '{roomOptions.Avatar}' is neither.");
        }
        if (errors.Count > 0) throw new CommandRejectedException(RejectionCode.InvalidInput, string.Join(" ", errors));
        return roomOptions;
    }
}
