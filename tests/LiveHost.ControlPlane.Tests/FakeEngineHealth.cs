namespace LiveHost.ControlPlane.Tests;

/// <summary>TEST DOUBLE for <see cref="IEngineHealth"/>: reports whatever the test sets.</summary>
public sealed class FakeEngineHealth : IEngineHealth
{
    public IReadOnlyList<RoomHealth> Rooms { get; set; } = [new RoomHealth("main", true, 0.5, null)];

    public IReadOnlyList<RoomHealth> Check() => Rooms;
}
