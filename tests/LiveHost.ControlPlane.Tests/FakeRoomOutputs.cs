using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane.Tests;

/// <summary>TEST DOUBLE for <see cref="IRoomOutputs"/>: keeps outputs in memory and refuses non-RTMP URLs like the real one must.</summary>
public sealed class FakeRoomOutputs(FakeRoomRegistry rooms) : IRoomOutputs
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<OutputState>> _outputs = [];
    private int _nextId;

    public IReadOnlyList<OutputState> List(string room)
    {
        Check(room);
        lock (_gate)
        {
            return _outputs.TryGetValue(room, out var list) ? list.ToArray() : [];
        }
    }

    public OutputState Add(string room, AddOutputRequest request)
    {
        Check(room);
        var url = request.Url ?? "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "rtmp" && uri.Scheme != "rtmps"))
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, $"'{url}' is not an rtmp:// or rtmps:// URL");
        }

        lock (_gate)
        {
            var output = new OutputState($"out-{++_nextId}", "rtmp", url, "starting", 0, 0, null);
            if (!_outputs.TryGetValue(room, out var list))
            {
                _outputs[room] = list = [];
            }

            list.Add(output);
            return output;
        }
    }

    public bool Remove(string room, string id)
    {
        Check(room);
        lock (_gate)
        {
            return _outputs.TryGetValue(room, out var list) && list.RemoveAll(o => o.Id == id) > 0;
        }
    }

    public OutputState? Pause(string room, string id) => SetStatus(room, id, "paused");

    public OutputState? Resume(string room, string id) => SetStatus(room, id, "connecting");

    private OutputState? SetStatus(string room, string id, string status)
    {
        Check(room);
        lock (_gate)
        {
            if (!_outputs.TryGetValue(room, out var list)) return null;
            var index = list.FindIndex(o => o.Id == id);
            if (index < 0) return null;
            return list[index] = list[index] with { Status = status };
        }
    }

    private void Check(string room)
    {
        if (!rooms.RoomNames.Contains(room))
        {
            throw new CommandRejectedException(RejectionCode.UnknownRoom, $"unknown room '{room}'");
        }
    }
}
