using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane;

/// <summary>
/// Outputs (RTMP push and later others) a room sends to, as the REST API manages them. The host implements it over
/// LiveHost.Rtmp; the control plane only passes commands through. Unknown room or a bad URL throw
/// <see cref="CommandRejectedException"/> (UnknownRoom / InvalidInput) and change nothing.
/// </summary>
public interface IRoomOutputs
{
    IReadOnlyList<OutputState> List(string room);

    OutputState Add(string room, string url);

    /// <summary>False when the room has no output with that id.</summary>
    bool Remove(string room, string id);
}
