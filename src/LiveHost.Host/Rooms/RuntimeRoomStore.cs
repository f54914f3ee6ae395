using System.Text.Json;
using LiveHost.Engine.Options;

namespace LiveHost.Host.Rooms;

/// <summary>
/// The settings of rooms made at run time (<c>PUT /api/rooms/{room}</c>), kept in <c>{data}/rooms.json</c> so they come
/// back after a restart. Written whole, to a temporary file renamed over the old one, so a crash leaves one or the other.
/// </summary>
public sealed class RuntimeRoomStore(string dataDirectory)
{
    public const string FileName = "rooms.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Path => System.IO.Path.Combine(dataDirectory, FileName);

    public Dictionary<string, RoomOptions> Load()
    {
        if (!File.Exists(Path)) return new(StringComparer.Ordinal);
        using var stream = File.OpenRead(Path);
        var rooms = JsonSerializer.Deserialize<Dictionary<string, RoomOptions>>(stream, Json);
        return rooms is null ? new(StringComparer.Ordinal) : new(rooms, StringComparer.Ordinal);
    }

    public void Save(IReadOnlyDictionary<string, RoomOptions> rooms)
    {
        var temporary = Path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(rooms, Json));
        File.Move(temporary, Path, overwrite: true);
    }
}
