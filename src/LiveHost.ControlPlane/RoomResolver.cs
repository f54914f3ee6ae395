using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane;

/// <summary>Turns an optional room name into a room controller; no name means <see cref="DefaultRoom"/>.</summary>
public sealed class RoomResolver(IRoomRegistry registry)
{
    public const string DefaultRoom = "main";

    public IReadOnlyCollection<string> RoomNames => registry.RoomNames;

    /// <exception cref="CommandRejectedException">With <see cref="RejectionCode.UnknownRoom"/> when there is no such room.</exception>
    public IRoomController Resolve(string? room)
    {
        var name = string.IsNullOrWhiteSpace(room) ? DefaultRoom : room.Trim();
        if (name.Length > 200 || !registry.TryGetRoom(name, out var controller))
        {
            throw new CommandRejectedException(RejectionCode.UnknownRoom, $"unknown room '{Shorten(name)}'");
        }

        return controller;
    }

    private static string Shorten(string name) => name.Length <= 64 ? name : name[..64] + "...";
}
