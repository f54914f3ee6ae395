using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane.Tests;

/// <summary>TEST DOUBLE: a room whose every command fails with a server fault (not a refusal), to see how faults are answered and logged.</summary>
public sealed class FaultyRoom(string name) : IRoomController
{
    public const string Fault = "the room broke (test fault)";

    public string Name { get; } = name;

    public ValueTask<LineTicket> EnqueueAsync(LineRequest request, CancellationToken cancellationToken = default) => throw new InvalidOperationException(Fault);

    public ValueTask<LineTicket> CueNowAsync(LineRequest request, CancellationToken cancellationToken = default) => throw new InvalidOperationException(Fault);

    public ValueTask SkipAsync(CancellationToken cancellationToken = default) => throw new InvalidOperationException(Fault);

    public ValueTask PauseAsync(CancellationToken cancellationToken = default) => throw new InvalidOperationException(Fault);

    public ValueTask ResumeAsync(CancellationToken cancellationToken = default) => throw new InvalidOperationException(Fault);

    public ValueTask ClearQueueAsync(CancellationToken cancellationToken = default) => throw new InvalidOperationException(Fault);

    public RoomState GetState() => throw new InvalidOperationException(Fault);
}
