using LiveHost.ControlPlane.Cluster;
using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane.Tests;

public sealed class LocalRoomDirectoryTests
{
    [Fact]
    public async Task A_single_machine_runs_every_room_it_knows_and_locates_no_other()
    {
        var registry = new RoomRegistry();
        registry.Add(new RecordingRoom("studio-b"));
        registry.Add(new RecordingRoom("main"));
        var directory = new LocalRoomDirectory(registry);

        var main = await directory.LocateAsync("main", CancellationToken.None);
        var missing = await directory.LocateAsync("nowhere", CancellationToken.None);
        var all = await directory.ListAsync(CancellationToken.None);

        Assert.Equal(new RoomLocation("main", directory.Self, true, 0), main);
        Assert.Null(missing);
        Assert.Equal(["main", "studio-b"], all.Select(l => l.Room));
        Assert.All(all, l => Assert.True(l.IsLocal));
        Assert.Equal([directory.Self], await directory.NodesAsync(CancellationToken.None));
    }
}
