namespace LiveHost.WebRtc.Rooms;

/// <summary>What a room stream needs of a viewer: a nudge that new packets are in the rings. Must never block.</summary>
public interface IRoomViewer
{
    void PacketsAvailable();
}
