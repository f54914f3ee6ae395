using System.Text.Json.Serialization;

namespace LiveHost.ControlPlane;

/// <summary>
/// One room's clock: on time, or lagging by <see cref="LagMilliseconds"/> with a human-readable <see cref="Problem"/>;
/// and its storage: null when writes go through, else why they fail (the room then refuses lines and commands with 503).
/// </summary>
/// <param name="Stopped">The room was stopped for good (e.g. its avatar's consent was withdrawn); <see cref="Problem"/> says why.</param>
public sealed record RoomHealth(string Room, bool OnTime, double LagMilliseconds, string? Problem, bool Stopped = false, string? Storage = null)
{
    [JsonIgnore]
    public bool Healthy => OnTime && Storage is null;
}
