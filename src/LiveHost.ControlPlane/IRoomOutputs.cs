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

    /// <summary>Adds an output from a normalized request (see <see cref="AddOutputRequest.Normalized"/>).</summary>
    OutputState Add(string room, AddOutputRequest request);

    /// <summary>False when the room has no output with that id.</summary>
    bool Remove(string room, string id);

    /// <summary>Ends the output's publication and keeps it disconnected until resumed; null when the room has no such output.</summary>
    OutputState? Pause(string room, string id);

    /// <summary>Connects a paused output again; null when the room has no such output.</summary>
    OutputState? Resume(string room, string id);
}
