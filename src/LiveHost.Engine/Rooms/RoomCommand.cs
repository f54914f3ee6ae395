namespace LiveHost.Engine.Rooms;

/// <summary>What the control plane asks of a room's engine loop; applied at the next tick boundary.</summary>
public enum RoomCommand
{
    /// <summary>A line was put first in the queue: cut the current one and speak it.</summary>
    CueNow,
    Skip,
    Pause,
    Resume,
    /// <summary>Something changed that the loop should notice (a line was queued).</summary>
    Wake,
}
