using System.Net;

namespace LiveHost.ControlPlane.Tests;

public sealed class AdminKeyTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "livehost-cp-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task With_no_keys_an_admin_key_is_created_printed_once_stored_0600_and_reused_on_the_next_start()
    {
        var configuration = new Dictionary<string, string?> { ["Storage:DataDirectory"] = _dataDirectory };
        var keyPath = Path.Combine(_dataDirectory, "admin.key");

        string firstKey;
        await using (var first = await ControlPlaneTestHost.StartAsync(configuration))
        {
            Assert.True(File.Exists(keyPath));
            firstKey = (await File.ReadAllTextAsync(keyPath)).Trim();
            Assert.Equal(43, firstKey.Length);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
            }

            Assert.Single(first.Logs.Messages, m => m.Contains(firstKey, StringComparison.Ordinal) && m.Contains("ADMIN KEY", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.OK, (await first.Client(firstKey).GetAsync("/api/rooms/main/outputs")).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await first.Client(firstKey).PostAsync("/api/rooms/main/outputs",
                new StringContent("{\"url\":\"rtmp://127.0.0.1/live/a\"}"))).StatusCode);
        }

        await using var second = await ControlPlaneTestHost.StartAsync(configuration);

        Assert.Equal(firstKey, (await File.ReadAllTextAsync(keyPath)).Trim());
        Assert.DoesNotContain(second.Logs.Messages, m => m.Contains(firstKey, StringComparison.Ordinal));
        Assert.Contains(second.Logs.Messages, m => m.Contains(keyPath, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await second.Client(firstKey).GetAsync("/api/rooms/main")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.Client(ControlPlaneTestHost.AdminKey).GetAsync("/api/rooms/main")).StatusCode);
    }

    [Fact]
    public async Task Configured_keys_mean_no_admin_key_file_is_created()
    {
        var configuration = ControlPlaneTestHost.RoleKeys();
        configuration["Storage:DataDirectory"] = _dataDirectory;

        await using var host = await ControlPlaneTestHost.StartAsync(configuration);

        Assert.False(File.Exists(Path.Combine(_dataDirectory, "admin.key")));
    }

    [Theory]
    [InlineData("Auth:Keys:0:Role", "sellr", "Auth:Keys:0:Role is 'sellr'")]
    [InlineData("Auth:Keys:0:Key", "", "Auth:Keys:0:Key is empty")]
    [InlineData("Auth:Keys:1:Key", ControlPlaneTestHost.ViewerKey, "Auth:Keys:1:Key repeats an earlier key")]
    public async Task A_bad_key_configuration_stops_the_start_with_a_message_saying_where(string setting, string value, string message)
    {
        var configuration = ControlPlaneTestHost.RoleKeys();
        configuration[setting] = value;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ControlPlaneTestHost.StartAsync(configuration));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
