using LiveHost.Host.Capacity;

namespace LiveHost.Host.Tests.Capacity;

public sealed class CapacityEstimateTests
{
    private static readonly CapacityOptions Options = new() { TargetCpuPercent = 80, ViewerMicrosecondsPerPacket = 3 };

    [Fact]
    public void A_rooms_cost_is_its_own_drawing_plus_its_pixel_share_of_the_rest_and_what_fits_is_the_target_left_over()
    {
        // 4 cores, target 3.2; the process uses 2.0 of the machine's 2.2. Two 720p25 cartoon rooms drawing 0.1 and 0.2,
        // one realistic 720p25 room drawing 0.3 with 0.3 of ONNX; 100 viewers of the first at 200 packets/s x 3 µs = 0.06.
        var machine = new MachineSample(DateTimeOffset.UnixEpoch, 5, 4, MachineCores: 2.2, ProcessCores: 2.0, InferenceCores: 0.3);
        const double Hd = 1280 * 720 * 25;
        RoomSample[] rooms =
        [
            new("a", RoomKinds.Cartoon, Hd, 100, 200, 0.1),
            new("b", RoomKinds.Cartoon, Hd, 0, 200, 0.2),
            new("c", RoomKinds.Realistic, Hd, 0, 200, 0.3),
        ];

        var report = CapacityEstimate.From(machine, rooms, Options);

        // The rest: 2.0 - 0.6 drawing - 0.3 ONNX - 0.06 viewers = 1.04, a third each.
        Assert.Equal(0.1 + 1.04 / 3, report.Rooms[0].CpuCores!.Value, 6);
        Assert.Equal(0.3 + 0.3 + 1.04 / 3, report.Rooms[2].CpuCores!.Value, 6);
        Assert.Equal(3.2 - 2.2, report.FreeCpuCores!.Value, 6);
        var cartoon = report.Kinds.Single(k => k.Kind == RoomKinds.Cartoon);
        Assert.Equal(2, cartoon.Running);
        Assert.Equal(0.15 + 1.04 / 3, cartoon.CpuCoresPerRoom!.Value, 6);
        Assert.Equal(2, cartoon.MoreRooms); // 1.0 / 0.497
        Assert.Equal(1, report.Kinds.Single(k => k.Kind == RoomKinds.Realistic).MoreRooms); // 1.0 / 0.947
        Assert.Null(report.Kinds.Single(k => k.Kind == RoomKinds.LipSynced).CpuCoresPerRoom);
        Assert.Null(report.Kinds.Single(k => k.Kind == RoomKinds.LipSynced).MoreRooms);
        Assert.Equal(0.0006, report.CpuCoresPerViewer!.Value, 9);
        Assert.Equal(1666, report.MoreViewers); // 1.0 / 0.0006
        Assert.Equal(100, report.Viewers);
    }

    [Fact]
    public void Past_the_target_nothing_more_fits_and_before_the_first_window_nothing_is_claimed()
    {
        RoomSample[] rooms = [new("a", RoomKinds.Cartoon, 1280 * 720 * 25, 0, 0, 0.5)];

        var past = CapacityEstimate.From(new MachineSample(DateTimeOffset.UnixEpoch, 5, 2, 1.9, 1.7, 0), rooms, Options);
        var unmeasured = CapacityEstimate.From(new MachineSample(null, 0, 2, null, null, null), [rooms[0] with { RenderCores = null }], Options);

        Assert.Equal(1.6 - 1.9, past.FreeCpuCores!.Value, 6);
        Assert.Equal(0, past.Kinds.Single(k => k.Kind == RoomKinds.Cartoon).MoreRooms);
        Assert.Equal(0, past.MoreViewers);
        Assert.Null(unmeasured.FreeCpuCores);
        Assert.Null(unmeasured.Rooms[0].CpuCores);
        Assert.Null(unmeasured.MoreViewers);
        Assert.All(unmeasured.Kinds, k => Assert.Null(k.MoreRooms));
    }

    [Theory]
    [InlineData(0, 5, 2, "Capacity:TargetCpuPercent")]
    [InlineData(101, 5, 2, "Capacity:TargetCpuPercent")]
    [InlineData(80, 0.1, 2, "Capacity:SampleSeconds")]
    [InlineData(80, 5, 0, "Capacity:ViewerMicrosecondsPerPacket")]
    public void Bad_capacity_settings_are_named(double target, double seconds, double microseconds, string named)
    {
        var errors = new CapacityOptions { TargetCpuPercent = target, SampleSeconds = seconds, ViewerMicrosecondsPerPacket = microseconds }.Validate();

        Assert.Contains(named, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(new CapacityOptions().Validate());
    }
}
