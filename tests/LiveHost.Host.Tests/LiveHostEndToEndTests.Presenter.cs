using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.Engine.Rooms;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHost.Host.Tests;

public sealed partial class LiveHostEndToEndTests
{
    [Fact]
    public async Task SetPresenter_switches_main_on_air_for_producers_without_the_RTMP_output_reconnecting_and_is_audited()
    {
        await server.WaitForOutputLiveAsync(TimeSpan.FromSeconds(20));
        var connectsBefore = await ConnectsAsync();
        var seller = await server.ConnectAsync(LiveHostServer.SellerKey);
        await Assert.ThrowsAsync<HubException>(() => seller.InvokeAsync<RoomState>("SetPresenter", "main", "cartoon-b", null, true, null));

        var producer = await server.ConnectAsync(LiveHostServer.ProducerKey);
        var state = await producer.InvokeAsync<RoomState>("SetPresenter", "main", "cartoon-b", null, true, null);
        Assert.Equal("cartoon-b", state.Presenter);
        // The same stream goes on at the same size: a viewer that joins now reads it as before.
        var probe = await FfmpegTools.ProbeAsync(server.StreamUrl, TimeSpan.FromSeconds(15));
        var video = Assert.Single(probe.Streams, s => s.CodecType == "video");
        Assert.Equal((320, 240), (video.Width, video.Height));

        using var rest = server.Client(LiveHostServer.ProducerKey);
        var unknown = await rest.PutAsJsonAsync("/api/rooms/main/presenter", new { avatar = "cartoon-z" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unknownAvatar", problem.GetProperty("code").GetString());
        var back = await rest.PutAsJsonAsync("/api/rooms/main/presenter", new { avatar = "cartoon", now = true });
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal("cartoon", (await back.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("presenter").GetString());

        Assert.Equal(connectsBefore, await ConnectsAsync());
        Assert.Equal("live", await server.OutputStatusAsync());
        using var admin = server.Client(LiveHostServer.AdminKey);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit?room=main&limit=1000");
        var entries = audit.GetProperty("entries").EnumerateArray().Select(e => (Command: e.GetProperty("command").GetString()!,
            Arguments: e.GetProperty("arguments").GetString()!, Result: e.GetProperty("result").GetString()!)).ToList();
        Assert.Contains(entries, e => e.Command == "SetPresenter" && e.Arguments.Contains("cartoon-b", StringComparison.Ordinal) && e.Result == "ok");
        Assert.Contains(entries, e => e.Arguments.Contains("cartoon-z", StringComparison.Ordinal) && e.Result == "refused: unknownAvatar");
    }

    private async Task<long> ConnectsAsync()
    {
        using var client = server.Client(LiveHostServer.AdminKey);
        var outputs = await client.GetFromJsonAsync<JsonElement>("/api/rooms/main/outputs");
        return outputs[0].GetProperty("connects").GetInt64();
    }
}
