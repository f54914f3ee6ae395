using LiveHost.WebRtc;
using LiveHost.ControlPlane;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Rooms;

namespace LiveHost.Host.Outputs;

/// <summary>REST-managed outputs of each room: RTMP, RTMPS, SRT and WHIP push, picked by the URL's scheme (<see cref="OutputKinds"/>).</summary>
public sealed class RoomOutputs(LiveRooms rooms, LiveHostMetrics metrics, Capacity.CapacityMonitor? capacity = null) : IRoomOutputs
{
    public IReadOnlyList<OutputState> List(string room) => Find(room).ListOutputs();

    public OutputState Add(string room, AddOutputRequest request)
    {
        var live = Find(room);
        var target = ToTarget(request);
        if (OutputKinds.Validate(target, live.EncodeProfile).FirstOrDefault() is { } problem) throw Invalid(problem);
        if (live.StoppedReason is { } stopped) throw StoppedRoom(room, stopped);
        try
        {
            var added = live.AddOutput(target);
            capacity?.OutputAdding(room); // past the CPU target: added all the same, with a warning
            return added;
        }
        catch (ObjectDisposedException)
        {
            // Stopped between the check and the add: nothing was added, and nothing will publish this room again.
            throw StoppedRoom(room, live.StoppedReason ?? "the room is shutting down");
        }
        catch (ArgumentException refused)
        {
            // A host outputs may not reach (OutputAddressRefusedException), said as the policy says it; nothing is added.
            throw Invalid(refused.Message);
        }
    }

    /// <summary>What a (normalized) request asks the room to push to.</summary>
    public static OutputTarget ToTarget(AddOutputRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var iceServers = request.IceServers?.Select(s => new IceServerOptions { Urls = [.. s.Urls ?? []], Username = s.Username, Credential = s.Credential }).ToArray();
        return new OutputTarget(request.Url ?? "", request.TrustedCa, request.Preset, request.BearerToken, iceServers);
    }

    public bool Remove(string room, string id)
    {
        if (!Find(room).RemoveOutput(id)) return false;
        metrics.OutputRemoved(room, id);
        return true;
    }

    public OutputState? Pause(string room, string id) => Find(room).Outputs.Pause(id) is { } info ? LiveRoom.ToState(info) : null;

    public OutputState? Resume(string room, string id) => Find(room).Outputs.Resume(id) is { } info ? LiveRoom.ToState(info) : null;

    private static CommandRejectedException Invalid(string message) => new(RejectionCode.InvalidInput, message);

    private static CommandRejectedException StoppedRoom(string room, string reason) =>
        new(RejectionCode.Unavailable, $"room '{room}' is stopped and takes no outputs: {reason}");

    private LiveRoom Find(string room) =>
        rooms.All.FirstOrDefault(r => r.Name == room) ?? throw new CommandRejectedException(RejectionCode.UnknownRoom, $"unknown room '{room}'");
}
