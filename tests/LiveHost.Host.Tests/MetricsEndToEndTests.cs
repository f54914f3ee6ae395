using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using LiveHost.Engine.Lines;
using LiveHost.Host.Tests.Startup;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHost.Host.Tests;

/// <summary>/metrics on the real host: what CONTRACT-ADDITIONS.md lists is what a scrape shows.</summary>
public sealed partial class MetricsEndToEndTests(LiveHostServer server) : IClassFixture<LiveHostServer>
{
    [Fact]
    public async Task After_a_line_plays_every_series_listed_in_the_contract_additions_has_a_sample()
    {
        var documented = DocumentedSeries(await File.ReadAllTextAsync(
            Path.Combine(ScratchCheckout.RealRoot, "src", "LiveHost.ControlPlane", "CONTRACT-ADDITIONS.md")));
        Assert.Contains("livehost_lines_accepted_total", documented);
        var ticketId = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource<Line>(TaskCreationOptions.RunContinuationsAsynchronously);
        var hub = await server.ConnectAsync(LiveHostServer.SellerKey, c => c.On<Line>("LineFinished", async line =>
        {
            if (line.Id == await ticketId.Task) finished.TrySetResult(line);
        }));

        var ticket = await hub.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null, "Count me."));
        ticketId.SetResult(ticket.Id);
        Assert.Equal(FinishReason.Completed, (await finished.Task.WaitAsync(TimeSpan.FromSeconds(60))).Reason);
        using var client = server.Factory.CreateClient();
        var response = await client.GetAsync("/metrics");
        var samples = Samples(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var missing = documented.Where(name => !samples.Keys.Any(s => s.Name == name || s.Name == name + "_count")).ToArray();
        Assert.True(missing.Length == 0, "no sample for: " + string.Join(", ", missing));
        // The line was counted before its LineFinished left the server, and its ticket before the call returned.
        Assert.True(samples[("livehost_lines_accepted_total", "kind=\"enqueue\",room=\"main\"")] >= 1);
        Assert.True(samples[("livehost_lines_finished_total", "reason=\"completed\",room=\"main\"")] >= 1);
        Assert.True(samples.ContainsKey(("livehost_queue_length", "room=\"main\"")));
    }

    /// <summary>Every `livehost_...` series name the document quotes.</summary>
    private static string[] DocumentedSeries(string markdown) =>
        DocumentedName().Matches(markdown).Select(m => m.Groups[1].Value).Distinct().ToArray();

    /// <summary>Prometheus text: (name, labels sorted as written) -> value; comments skipped.</summary>
    private static Dictionary<(string Name, string Labels), double> Samples(string text)
    {
        var samples = new Dictionary<(string, string), double>();
        foreach (Match match in SampleLine().Matches(text))
        {
            var labels = string.Join(',', match.Groups[2].Value.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
            samples[(match.Groups[1].Value, labels)] = double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        }
        return samples;
    }

    [GeneratedRegex("`(livehost_[a-z0-9_]+)")]
    private static partial Regex DocumentedName();

    [GeneratedRegex(@"^(livehost_[a-z0-9_]+)(?:\{([^}]*)\})? (\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
