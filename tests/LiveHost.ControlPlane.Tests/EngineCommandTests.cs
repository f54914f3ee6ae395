using System.Net;
using System.Net.Http.Json;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests;

/// <summary>
/// REST and hub commands through real Kestrel into the engine's real room: each answers with what it did, because the
/// engine completes a command only once its tick applied it. The test is the room's clock: it ticks until the answer comes.
/// </summary>
public sealed class EngineCommandTests : IAsyncLifetime
{
    private readonly EngineRoom _room = new();
    private ControlPlaneTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await StartAsync(services: s => s.AddSingleton<IRoomRegistry>(_room.Registry));

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _room.DisposeAsync();
    }

    [Fact]
    public async Task Rest_skip_pause_resume_and_clear_answer_with_the_state_after_they_took_effect()
    {
        var skipped = await _room.Controller.EnqueueAudioAsync(new AudioLineRequest(null, Clip(5)));
        var next = await _room.Controller.EnqueueAudioAsync(new AudioLineRequest(null, Clip(5)));
        await _room.Controller.EnqueueAudioAsync(new AudioLineRequest(null, Clip(5)));
        _room.Ticks(2);
        Assert.Equal(skipped.Id, _room.Controller.GetState().Current?.Id);
        var producer = _host.Client(ProducerKey);

        var afterSkip = await PostAsync(producer, "skip");
        Assert.Equal(next.Id, afterSkip.Current?.Id);
        Assert.DoesNotContain(afterSkip.Queue, l => l.Id == skipped.Id);

        var afterPause = await PostAsync(producer, "pause");
        Assert.True(afterPause.Paused);
        Assert.Equal(RoomActivity.Paused, afterPause.Activity);

        var afterResume = await PostAsync(producer, "resume");
        Assert.False(afterResume.Paused);

        var afterClear = await PostAsync(producer, "clear");
        Assert.Empty(afterClear.Queue);
    }

    [Fact]
    public async Task A_hub_GetState_right_after_Pause_resolves_shows_the_room_paused()
    {
        var hub = await _host.ConnectAsync(ProducerKey);

        await WhileTicking(hub.InvokeAsync("Pause"));
        var state = await hub.InvokeAsync<RoomState>("GetState");

        Assert.True(state.Paused);
    }

    [Fact]
    public async Task A_command_to_a_stopped_room_is_refused_with_503_and_the_reason()
    {
        _room.Controller.Stop("its avatar's consent was revoked");

        var response = await _host.Client(ProducerKey).PostAsync("/api/rooms/main/pause", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("consent was revoked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<RoomState> PostAsync(HttpClient client, string command)
    {
        var response = await WhileTicking(client.PostAsync($"/api/rooms/main/{command}", null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RoomState>())!;
    }

    // Plays the room's clock (a frame every few milliseconds) until the call answers.
    private async Task<T> WhileTicking<T>(Task<T> call)
    {
        await WhileTicking((Task)call);
        return await call;
    }

    private async Task WhileTicking(Task call)
    {
        while (!call.IsCompleted)
        {
            _room.Ticks(1);
            await Task.WhenAny(call, Task.Delay(5));
        }
        await call;
    }

    private static short[] Clip(int seconds) => Enumerable.Repeat((short)1000, seconds * 48_000).ToArray();
}
