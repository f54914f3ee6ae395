using Microsoft.Playwright;

namespace LiveHost.WebRtc.Tests;

/// <summary>Reads the /watch page's player state (window.livehost) from a test.</summary>
public static class PlayerProbe
{
    public static async Task<PlayerStats> WaitForAsync(IPage page, Func<PlayerStats, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        PlayerStats? stats = null;
        while (DateTime.UtcNow < deadline)
        {
            var error = await page.EvaluateAsync<string?>("() => window.livehost && window.livehost.error");
            Assert.True(error is null, "the player failed: " + error);
            stats = await StatsAsync(page);
            if (condition(stats)) return stats;
            await Task.Delay(200);
        }
        throw new TimeoutException($"no {what} within {timeout.TotalSeconds} s; last stats: {stats}");
    }

    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static async Task<PlayerStats> StatsAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string?>("async () => window.livehost ? JSON.stringify(await window.livehost.stats()) : null");
        return json is null ? new PlayerStats(0, 0, 0, 0, 0, null, null, null) : System.Text.Json.JsonSerializer.Deserialize<PlayerStats>(json, Json)!;
    }

}
