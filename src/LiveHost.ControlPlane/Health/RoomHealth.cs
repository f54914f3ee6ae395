namespace LiveHost.ControlPlane;

/// <summary>One room's clock: on time, or lagging by <see cref="LagMilliseconds"/> with a human-readable <see cref="Problem"/>.</summary>
public sealed record RoomHealth(string Room, bool OnTime, double LagMilliseconds, string? Problem);
