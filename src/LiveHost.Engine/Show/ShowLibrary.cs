using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Show;

/// <summary>
/// The rooms' shows by room name, and the commands on them and on the script library: what the hub and REST call.
/// Scripts are validated (<see cref="ScriptValidator"/>) before they are stored; a room looping a script that is
/// saved again goes on with its new lines, and one looping a deleted script stops after the line on air.
/// </summary>
public sealed class ShowLibrary(IScriptStore scripts, ProductCatalog products, ScriptValidator validator, RoomScriptWriter writer, TimeProvider time)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RoomShow> _rooms = new(StringComparer.Ordinal);
    private readonly Lock _scriptWrites = new();

    public ProductCatalog Products => products;

    /// <summary>Raised after every change to the script library (for <c>ScriptsChanged</c>).</summary>
    public event Action? ScriptsChanged;

    /// <summary>Makes a room's show (at start, before requests arrive): its loop is read back from the last run.</summary>
    public RoomShow AddRoom(string room, string language)
    {
        var show = new RoomShow(room, language, scripts, products, writer, time);
        if (!_rooms.TryAdd(room, show)) throw new InvalidOperationException($"room '{room}' already has a show");
        return show;
    }

    /// <summary>Forgets a room removed at run time (its stored loop position stays, for a room made again under its name).</summary>
    public void RemoveRoom(string room) => _rooms.TryRemove(room, out _);

    public RoomShow Room(string? room)
    {
        var name = string.IsNullOrWhiteSpace(room) ? "main" : room.Trim();
        return _rooms.TryGetValue(name, out var show)
            ? show
            : throw new CommandRejectedException(RejectionCode.UnknownRoom, $"unknown room '{(name.Length <= 64 ? name : name[..64] + "...")}'");
    }

    public ScriptList ListScripts() => new(scripts.List());

    public Script GetScript(string? id) =>
        (string.IsNullOrWhiteSpace(id) ? null : scripts.Get(id.Trim())) ?? throw UnknownScript(id);

    /// <summary>Creates (<paramref name="id"/> and the script's id null) or replaces the script named (unknown: 404).</summary>
    public Script SaveScript(Script? script, string? id = null)
    {
        var valid = validator.Validate(script);
        Script stored;
        lock (_scriptWrites)
        {
            var key = id ?? valid.Id;
            if (key is not null) GetScript(key);
            stored = valid with { Id = key ?? Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), UpdatedAt = time.GetUtcNow() };
            scripts.Save(stored);
        }
        foreach (var show in _rooms.Values) show.ScriptUpdated(stored);
        ScriptsChanged?.Invoke();
        return stored;
    }

    public void DeleteScript(string? id)
    {
        var script = GetScript(id);
        lock (_scriptWrites) scripts.Delete(script.Id!);
        foreach (var show in _rooms.Values) show.ScriptDeleted(script.Id!);
        ScriptsChanged?.Invoke();
    }

    public ValueTask<RoomState> PlayScriptAsync(string? room, string? scriptId, string? mode, CancellationToken cancellationToken = default)
    {
        var show = Room(room);
        var parsed = mode?.Trim().ToLowerInvariant() switch
        {
            "once" => ScriptMode.Once,
            "loop" => ScriptMode.Loop,
            _ => throw new CommandRejectedException(RejectionCode.InvalidInput, $"mode is '{mode}'; use \"once\" (queue its lines) or \"loop\" (play it whenever nothing else is queued)"),
        };
        return show.PlayAsync(GetScript(scriptId), parsed, cancellationToken);
    }

    public RoomState StopScript(string? room) => Room(room).Stop();

    public RoomState ShowProduct(string? room, string? productId, int? countdownSeconds) =>
        Room(room).ShowProduct(productId ?? throw new CommandRejectedException(RejectionCode.InvalidInput, "productId is required"), countdownSeconds);

    public RoomState HideProduct(string? room) => Room(room).HideProduct();

    private static CommandRejectedException UnknownScript(string? id) =>
        new(RejectionCode.UnknownScript, $"unknown script '{(id is { Length: > 64 } ? id[..64] + "..." : id)}': list them with GET /api/scripts");
}
