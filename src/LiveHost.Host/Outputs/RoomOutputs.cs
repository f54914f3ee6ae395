using LiveHost.ControlPlane;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Rooms;
using LiveHost.Rtmp;

namespace LiveHost.Host.Outputs;

/// <summary>REST-managed RTMP outputs over each room's <see cref="RtmpOutputSet"/>.</summary>
public sealed class RoomOutputs(LiveRooms rooms, LiveHostMetrics metrics) : IRoomOutputs
{
    public IReadOnlyList<OutputState> List(string room) => Find(room).ListOutputs();

    public OutputState Add(string room, string url)
    {
        var live = Find(room);
        if (!RtmpUrl.TryParse(url, out _, out var error)) throw new CommandRejectedException(RejectionCode.InvalidInput, error);
        RtmpOutputInfo info;
        try
        {
            info = live.Outputs.Add(url);
        }
        catch (ArgumentException refused)
        {
            // A host outputs may not reach (OutputAddressRefusedException), said as the policy says it; nothing is added.
            throw new CommandRejectedException(RejectionCode.InvalidInput, refused.Message);
        }
        return new OutputState(info.Id, "rtmp", info.Url, info.Status, info.Connects, info.DroppedFrames, info.LastError);
    }

    public bool Remove(string room, string id)
    {
        if (!Find(room).Outputs.Remove(id)) return false;
        metrics.OutputRemoved(room, id);
        return true;
    }

    private LiveRoom Find(string room) =>
        rooms.All.FirstOrDefault(r => r.Name == room) ?? throw new CommandRejectedException(RejectionCode.UnknownRoom, $"unknown room '{room}'");
}
