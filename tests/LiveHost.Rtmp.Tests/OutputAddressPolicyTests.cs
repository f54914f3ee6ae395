using System.Net;
using System.Net.Sockets;
using LiveHost.Media;
using LiveHost.Rtmp.Network;
using Xunit;
using Xunit.Abstractions;

namespace LiveHost.Rtmp.Tests;

public sealed class OutputAddressPolicyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("rtmp://169.254.169.254/app/key", "cloud metadata service")]
    [InlineData("rtmp://10.0.0.1:80/app/key", "private network address")]
    [InlineData("rtmp://127.0.0.1:6379/app/key", "loopback address")]
    [InlineData("rtmp://[::1]:22/app/key", "loopback address")]
    [InlineData("rtmp://[::ffff:192.168.0.10]/app/key", "private network address")]
    [InlineData("rtmp://[fe80::1]/app/key", "link-local address")]
    [InlineData("rtmp://100.64.1.1/app/key", "carrier-grade NAT")]
    [InlineData("rtmp://0.0.0.0/app/key", "unspecified address")]
    [InlineData("rtmp://localhost/app/key", "resolves to")]
    public void By_default_an_internal_address_is_refused_when_the_output_is_added_and_nothing_is_added(string url, string reason)
    {
        var outputs = new RtmpOutputSet(new MediaBroadcaster(new MediaFormat(320, 240, 25)), new RtmpOutputOptions(), new TestOutputLoggerFactory(output), TimeProvider.System);

        var refused = Assert.Throws<OutputAddressRefusedException>(() => outputs.Add(url));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Contains("Outputs:", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("key", refused.Message, StringComparison.Ordinal);
        Assert.Empty(outputs.List());
    }

    [Fact]
    public void Allowing_private_networks_lets_loopback_and_lan_through_but_not_the_metadata_service()
    {
        var policy = new OutputAddressPolicy(new OutputNetworkOptions { AllowPrivateNetworks = true });

        Assert.Null(policy.Check("127.0.0.1", IPAddress.Loopback));
        Assert.Null(policy.Check("nas.lan", IPAddress.Parse("192.168.1.20")));
        Assert.Null(policy.Check("[fd00::5]", IPAddress.Parse("fd00::5")));
        Assert.Contains("AllowedHosts", policy.Check("169.254.169.254", IPAddress.Parse("169.254.169.254")), StringComparison.Ordinal);
        Assert.NotNull(policy.Check("x", IPAddress.Parse("224.0.0.1")));
    }

    [Fact]
    public void Allowed_hosts_match_by_name_by_address_and_by_range()
    {
        var policy = new OutputAddressPolicy(new OutputNetworkOptions { AllowedHosts = ["Ingest.Corp", "10.1.0.0/16", "169.254.169.254", "::1"] });

        Assert.Null(policy.Check("ingest.corp", IPAddress.Parse("10.9.9.9")));
        Assert.Null(policy.Check("other", IPAddress.Parse("10.1.200.3")));
        Assert.Null(policy.Check("other", IPAddress.Parse("::ffff:10.1.200.3")));
        Assert.Null(policy.Check("169.254.169.254", IPAddress.Parse("169.254.169.254")));
        Assert.Null(policy.Check("::1", IPAddress.IPv6Loopback));
        Assert.NotNull(policy.Check("other", IPAddress.Parse("10.2.0.1")));
        Assert.NotNull(policy.Check("other", IPAddress.Loopback));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("10.0.0.0/99")]
    public void A_malformed_allowed_host_is_reported_by_its_setting_name(string host)
    {
        var errors = new OutputNetworkOptions { AllowedHosts = ["ok.example", host] }.Validate();
        Assert.Contains(errors, e => e.StartsWith("Outputs:AllowedHosts:1 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_name_that_resolves_to_an_allowed_address_and_one_that_does_not_connects_only_to_the_allowed_one()
    {
        var policy = new OutputAddressPolicy(new OutputNetworkOptions(),
            (_, _) => Task.FromResult(new[] { IPAddress.Parse("10.0.0.7"), IPAddress.Parse("203.0.113.7") }));

        var allowed = await policy.ResolveAllowedAsync("mixed.example", CancellationToken.None);

        Assert.Equal([IPAddress.Parse("203.0.113.7")], allowed);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_at_connect_time_is_refused_without_connecting_and_last_error_says_why()
    {
        // DNS rebinding: the name is public when added, and points at this machine when the output connects.
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        var lookups = 0;
        var policy = new OutputAddressPolicy(new OutputNetworkOptions(), (_, _) => Task.FromResult(
            Interlocked.Increment(ref lookups) == 1 ? [IPAddress.Parse("203.0.113.7")] : new[] { IPAddress.Loopback }));
        var port = ((IPEndPoint)target.LocalEndpoint).Port;
        var options = new RtmpOutputOptions { Addresses = policy, BackoffMin = TimeSpan.FromSeconds(30), BackoffMax = TimeSpan.FromSeconds(30) };
        await using var outputs = new RtmpOutputSet(new MediaBroadcaster(new MediaFormat(320, 240, 25)), options, new TestOutputLoggerFactory(output), TimeProvider.System);

        var id = outputs.Add($"rtmp://rebind.example:{port}/live/secret-key").Id;
        // lastError is written, then the state turns to retrying (for the 30 s backoff): wait for both.
        await RtmpPublishIntegrationTests.WaitForAsync(() => outputs.Get(id)! is { LastError: not null, Status: "retrying" }, TimeSpan.FromSeconds(10));

        var info = outputs.Get(id)!;
        Assert.Contains("'rebind.example' resolves to 127.0.0.1", info.LastError, StringComparison.Ordinal);
        Assert.Contains("loopback", info.LastError, StringComparison.Ordinal);
        Assert.Equal(("retrying", 0L), (info.Status, info.Connects));
        // The refusal was recorded after the connect attempt would have happened: the listener saw none.
        Assert.False(target.Pending());
        Assert.Equal(2, Volatile.Read(ref lookups));
    }
}

public sealed class RtmpOutputSecretTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_outputs_log_lines_and_last_error_never_show_its_secrets()
    {
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var retrying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loggers = new TestOutputLoggerFactory(output, line =>
        {
            lines.Enqueue(line);
            if (line.Contains("retrying in", StringComparison.Ordinal)) retrying.TrySetResult();
        });
        var options = new RtmpOutputOptions { Addresses = RtmpPublishIntegrationTests.LoopbackAllowed, BackoffMin = TimeSpan.FromSeconds(30), BackoffMax = TimeSpan.FromSeconds(30) };
        var port = LiveHost.TestSupport.FreePort.GetLoopbackTcpPort();
        RtmpOutputInfo? info;
        await using (var outputs = new RtmpOutputSet(new MediaBroadcaster(new MediaFormat(320, 240, 25)), options, loggers, TimeProvider.System))
        {
            var id = outputs.Add($"rtmp://127.0.0.1:{port}/live?auth=APPSECRET/KEYSECRET?token=TOKENSECRET").Id;
            await retrying.Task.WaitAsync(TimeSpan.FromSeconds(10));
            info = outputs.Get(id);
        }

        Assert.NotNull(info?.LastError);
        Assert.Contains(lines, l => l.Contains($"rtmp://127.0.0.1:{port}/live?auth=****/****", StringComparison.Ordinal));
        foreach (var text in lines.Append(info!.LastError!).Append(info.Url))
        {
            Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        }
    }
}
