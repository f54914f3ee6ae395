using Microsoft.AspNetCore.SignalR.Client;
using System.Net;
using System.Net.Http.Json;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Rooms;
using Microsoft.Extensions.DependencyInjection;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Comments;

/// <summary>Mode <c>block</c> at the edge: the refusal's code and message over REST and the hub.</summary>
public sealed class BlockModeTests : IAsyncLifetime
{
    private readonly string _terms = Path.Combine(Path.GetTempPath(), $"livehost-block-{Guid.NewGuid():N}.db");
    private EngineRoom _room = null!;
    private ControlPlaneTestHost _host = null!;

    public async Task InitializeAsync()
    {
        var policy = new ModerationPolicy(new SqliteModerationTermStore(_terms), new Dictionary<string, ModerationMode>());
        _room = new EngineRoom(policy: policy);
        (_host, _) = await CommentHost.StartAsync(services: s => s.AddSingleton<IRoomRegistry>(_room.Registry));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _room.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_terms);
    }

    [Theory]
    [InlineData("It has no side effects", "'no side effects' (en list) at character 8 of the text")]
    [InlineData("我们是国家级品牌", "'国家级' (zh list) at character 4 of the text")]
    public async Task A_line_with_a_blocked_term_is_400_blockedTerm_naming_it_and_nothing_is_queued(string text, string where)
    {
        var response = await _host.Client(SellerKey).PostAsJsonAsync("/api/rooms/main/lines", new { text });
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("blockedTerm", problem.GetProperty("code").GetString());
        Assert.Contains(where, problem.GetProperty("detail").GetString());
        Assert.Empty(_room.Queue.Snapshot());
        Assert.Empty(_room.Store.LoadUnfinished("main"));
    }

    [Fact]
    public async Task Over_the_hub_a_cued_line_with_a_blocked_term_is_refused_too()
    {
        var producer = await _host.ConnectAsync(ProducerKey);

        var refusal = await CommentHost.RefusedAsync(() => producer.InvokeAsync<LineTicket>("CueNow", new LineRequest(null, "顶级面料", "en")));

        Assert.Contains("the line contains the blocked term '顶级' (zh list) at character 1 of the text: it may not go on air", refusal.Message);
        Assert.Empty(_room.Queue.Snapshot());
    }
}
