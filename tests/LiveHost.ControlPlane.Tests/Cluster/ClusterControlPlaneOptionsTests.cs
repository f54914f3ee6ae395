using LiveHost.ControlPlane.Cluster;

namespace LiveHost.ControlPlane.Tests.Cluster;

public sealed class ClusterControlPlaneOptionsTests
{
    [Fact]
    public void The_defaults_are_one_machine_with_a_ten_second_forward_timeout()
    {
        var options = new ClusterControlPlaneOptions();

        Assert.False(options.HasRedis);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ForwardTimeout);
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("00:00:00", "livehost", "Cluster:ForwardTimeout must be 00:00:00.1 to 00:05:00 (was 00:00:00).")]
    [InlineData("00:06:00", "livehost", "Cluster:ForwardTimeout must be 00:00:00.1 to 00:05:00 (was 00:06:00).")]
    [InlineData("00:00:10", " ", "Cluster:ChannelPrefix must not be empty.")]
    public void A_bad_setting_is_refused_by_name(string timeout, string prefix, string message)
    {
        var options = new ClusterControlPlaneOptions { ForwardTimeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture), ChannelPrefix = prefix };

        Assert.Equal([message], options.Validate());
    }
}
