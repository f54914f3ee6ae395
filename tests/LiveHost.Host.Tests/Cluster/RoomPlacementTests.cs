using LiveHost.Cluster;

namespace LiveHost.Host.Tests.Cluster;

/// <summary>The placement every node computes from the same snapshot: held rooms stay, the rest go greedily to the most spare.</summary>
public sealed class RoomPlacementTests
{
    private static NodeRecord Node(string id, int spare) => new(id, null, spare, null, [], DateTimeOffset.UnixEpoch);

    [Fact]
    public void Unheld_rooms_go_to_the_node_with_the_most_spare_rooms_one_at_a_time()
    {
        var assignment = RoomPlacement.Assign(["a", "b", "c", "d"], new Dictionary<string, LeaseValue>(), [Node("n1", 1), Node("n2", 3), Node("n3", 2)]);

        // n2 (3) takes a, then n2 (2) and n3 (2) tie: the one with fewer rooms (n3) takes b; then n2 (2) takes c; d: n1, n2, n3 all at 1, fewest rooms n1.
        Assert.Equal("n2", assignment["a"]);
        Assert.Equal("n3", assignment["b"]);
        Assert.Equal("n2", assignment["c"]);
        Assert.Equal("n1", assignment["d"]);
    }

    [Fact]
    public void A_room_held_by_a_live_node_stays_there_and_one_held_by_a_gone_node_is_placed_again()
    {
        var holders = new Dictionary<string, LeaseValue> { ["a"] = new("n1", 7), ["b"] = new("gone", 3) };

        var assignment = RoomPlacement.Assign(["a", "b"], holders, [Node("n1", 0), Node("n2", 5)]);

        Assert.Equal("n1", assignment["a"]);
        Assert.Equal("n2", assignment["b"]);
    }

    [Fact]
    public void Every_node_computes_the_same_placement_whatever_order_it_lists_nodes_and_rooms_in()
    {
        var one = RoomPlacement.Assign(["x", "y", "z"], new Dictionary<string, LeaseValue>(), [Node("b", 2), Node("a", 2)]);
        var two = RoomPlacement.Assign(["z", "y", "x"], new Dictionary<string, LeaseValue>(), [Node("a", 2), Node("b", 2)]);

        Assert.Equal(one.OrderBy(p => p.Key), two.OrderBy(p => p.Key));
    }

    [Fact]
    public void A_node_that_does_not_take_rooms_yet_gets_none_but_keeps_the_rooms_it_holds()
    {
        var starting = new NodeRecord("n1", null, 20, null, [], DateTimeOffset.UnixEpoch, TakesRooms: false);
        var holders = new Dictionary<string, LeaseValue> { ["a"] = new("n1", 2) };

        var assignment = RoomPlacement.Assign(["a", "b"], holders, [starting, Node("n2", 1)]);

        Assert.Equal("n1", assignment["a"]);
        Assert.Equal("n2", assignment["b"]);
    }

    [Fact]
    public void A_room_taken_over_from_a_dead_node_goes_to_a_node_past_its_start_up_delay_and_a_new_room_also_to_a_starting_one()
    {
        // n3 was just restarted: most spare, but still in its start-up delay. r1 was held (its node died), r9 never was.
        var restarted = new NodeRecord("n3", null, 20, null, [], DateTimeOffset.UnixEpoch, Starting: true);
        var heldBefore = new HashSet<string>(StringComparer.Ordinal) { "r1" };

        var assignment = RoomPlacement.Assign(["r1", "r9"], new Dictionary<string, LeaseValue>(), [Node("n1", 4), Node("n2", 5), restarted], heldBefore);

        Assert.Equal("n2", assignment["r1"]);
        Assert.Equal("n3", assignment["r9"]);
    }

    [Fact]
    public void A_room_held_before_still_goes_to_a_starting_node_when_every_node_is_starting()
    {
        var nodes = new[] { new NodeRecord("n1", null, 2, null, [], DateTimeOffset.UnixEpoch, Starting: true), new NodeRecord("n2", null, 3, null, [], DateTimeOffset.UnixEpoch, Starting: true) };

        var assignment = RoomPlacement.Assign(["r1"], new Dictionary<string, LeaseValue>(), nodes, new HashSet<string>(StringComparer.Ordinal) { "r1" });

        Assert.Equal("n2", assignment["r1"]);
    }

    [Fact]
    public void No_live_node_places_nothing()
    {
        Assert.Empty(RoomPlacement.Assign(["a"], new Dictionary<string, LeaseValue>(), []));
    }

    [Theory]
    [InlineData("node-a|42", "node-a", 42L)]
    [InlineData("host:8080|1", "host:8080", 1L)]
    public void A_lease_value_reads_back_as_written(string text, string node, long token)
    {
        Assert.True(LeaseValue.TryParse(text, out var lease));
        Assert.Equal(new LeaseValue(node, token), lease);
        Assert.Equal(text, lease.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("node-a")]
    [InlineData("|5")]
    [InlineData("node-a|-5")]
    [InlineData("node-a|x")]
    public void A_malformed_lease_value_is_not_read(string text) => Assert.False(LeaseValue.TryParse(text, out _));

    [Theory]
    [InlineData("LeaseSeconds", "0", "Cluster:LeaseSeconds must be between 1 and 300 (was 0).")]
    [InlineData("MaxRooms", "0", "Cluster:MaxRooms must be at least 1 (was 0).")]
    [InlineData("NodeId", "a b", "Cluster:NodeId must be 1-128 characters with no spaces or '|' (was \"a b\").")]
    [InlineData("PublicUrl", "ftp://x", "Cluster:PublicUrl must be an absolute http(s) URL (was \"ftp://x\").")]
    [InlineData("PlacementDelaySeconds", "-1", "Cluster:PlacementDelaySeconds must be between 0 and 600 (was -1).")]
    [InlineData("BootstrapExpect", "0", "Cluster:BootstrapExpect must be between 1 and 64 (was 0).")]
    public void Bad_cluster_settings_are_refused_naming_the_setting(string setting, string value, string message)
    {
        var options = new ClusterOptions { Redis = "127.0.0.1:6379" };
        switch (setting)
        {
            case "LeaseSeconds": options.LeaseSeconds = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "MaxRooms": options.MaxRooms = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "NodeId": options.NodeId = value; break;
            case "PublicUrl": options.PublicUrl = value; break;
            case "PlacementDelaySeconds": options.PlacementDelaySeconds = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "BootstrapExpect": options.BootstrapExpect = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        Assert.Equal(message, Assert.Single(options.Validate()));
    }

    [Fact]
    public void Without_Cluster_Redis_nothing_is_checked_and_the_cluster_is_off()
    {
        var options = new ClusterOptions { LeaseSeconds = 0 };

        Assert.False(options.Enabled);
        Assert.Empty(options.Validate());
    }
}
