using System.Threading.Channels;
using LiveHost.Cluster;
using LiveHost.Storage.Postgres;

namespace LiveHost.Host.Cluster;

/// <summary>
/// The stores' view of this node's leases (<see cref="IRoomFence"/>): a write for a room carries the token of the lease
/// this node holds and may still act on (<see cref="HeldLeases.TokenOf"/>). A refused write is handed on as the room's
/// name through a channel, which <see cref="ClusterRoomHost"/> drains to stop the room: the store never calls back into
/// the rooms, and the rooms' parts (which need the store) do not need the host.
/// </summary>
public sealed class FencedRooms(HeldLeases held) : IRoomFence
{
    private readonly Channel<string> _refused = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<string> Refusals => _refused.Reader;

    public long? TokenOf(string room) => held.TokenOf(room);

    public void Refused(string room) => _refused.Writer.TryWrite(room);
}
