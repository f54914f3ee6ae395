using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane;

/// <summary>
/// Drains <see cref="HubRoomEventSink"/> in order and sends each event to its room's group. A failed send is logged
/// and the pump goes on: one bad client or a serialization bug must not stop events for everyone. The group send
/// only posts to each connection's outbox (<see cref="OutboxHubLifetimeManager"/>), so a client that stops reading
/// never holds the pump.
/// </summary>
public sealed class HubEventPump(HubRoomEventSink sink, IHubContext<ControlHub> hub, LiveHostMetrics metrics, ILogger<HubEventPump> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = sink.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (reader.TryRead(out var roomEvent))
                {
                    if (!sink.TakeForSending(roomEvent))
                    {
                        continue;
                    }

                    try
                    {
                        await hub.Clients.Group(ControlHubEvents.GroupFor(roomEvent.Room)).SendAsync(roomEvent.Name, roomEvent.Payload, stoppingToken);
                        metrics.HubEventSent(roomEvent.Name);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        ControlPlaneLog.HubSendFailed(logger, exception, roomEvent.Name, roomEvent.Room);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping: events still queued are for connections that are closing anyway.
        }
    }
}
