using LiveHost.ControlPlane.Comments;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace LiveHost.ControlPlane;

/// <summary>
/// The control hub (<c>/hubs/control</c>). Signalling only: each method checks the caller's role, finds the room and
/// hands the command to its <see cref="IRoomController"/>; no media is touched here. Refusals come back as
/// <see cref="HubException"/> with the room's message. Rooms are named inside a <see cref="LineRequest"/> or by
/// the optional <c>room</c> argument; none means <c>main</c>.
/// </summary>
[Authorize(Policy = HubAccess.Policy)]
public sealed partial class ControlHub(RoomResolver rooms, LiveHostMetrics metrics, CommentService comments, AnonymousConnections anonymous) : Hub
{
    public override async Task OnConnectedAsync()
    {
        // A keyless connection (Comments:AllowAnonymous) is counted per address and subscribes to nothing by itself.
        if (IsKeyless)
        {
            AdmitKeyless();
            await base.OnConnectedAsync();
            return;
        }
        // Most clients only ever watch main; they get its events without asking.
        await Groups.AddToGroupAsync(Context.ConnectionId, ControlHubEvents.GroupFor(RoomResolver.DefaultRoom), Context.ConnectionAborted);
        await JoinStaffAsync(RoomResolver.DefaultRoom, Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    public Task<LineTicket> EnqueueLine(LineRequest? request) =>
        RunAsync(nameof(EnqueueLine), Role.Seller, request?.Room, (room, ct) => room.EnqueueAsync(Required(request) with { Room = room.Name }, ct));

    public Task<LineTicket> CueNow(LineRequest? request) =>
        RunAsync(nameof(CueNow), Role.Producer, request?.Room, (room, ct) => room.CueNowAsync(Required(request) with { Room = room.Name }, ct));

    public Task Skip(string? room = null) => RunAsync(nameof(Skip), Role.Producer, room, (r, ct) => r.SkipAsync(ct));

    public Task Pause(string? room = null) => RunAsync(nameof(Pause), Role.Producer, room, (r, ct) => r.PauseAsync(ct));

    public Task Resume(string? room = null) => RunAsync(nameof(Resume), Role.Producer, room, (r, ct) => r.ResumeAsync(ct));

    public Task ClearQueue(string? room = null) => RunAsync(nameof(ClearQueue), Role.Producer, room, (r, ct) => r.ClearQueueAsync(ct));

    public Task<RoomState> GetState(string? room = null) =>
        RunAsync(nameof(GetState), Role.Viewer, room, (r, _) => ValueTask.FromResult(r.GetState()));

    /// <summary>Addition to CONTRACT.md: receive this room's events from now on, and get its state to start from.</summary>
    public Task<RoomState> Subscribe(string? room = null)
    {
        // Join before reading the state: an event sent in between then reaches this connection, and the state it
        // returns is never older than the first event the client receives.
        return RunAsync(nameof(Subscribe), Role.Viewer, room, async (r, ct) =>
        {
            DemandPublicIfKeyless(r.Name);
            await Groups.AddToGroupAsync(Context.ConnectionId, ControlHubEvents.GroupFor(r.Name), ct);
            await JoinStaffAsync(r.Name, ct);
            return r.GetState();
        }, keylessAllowed: true);
    }

    /// <summary>Addition to CONTRACT.md: stop receiving this room's events (main included).</summary>
    public async Task Unsubscribe(string? room = null)
    {
        CallerRole.Demand(Context.User, Role.Viewer);
        var name = string.IsNullOrWhiteSpace(room) ? RoomResolver.DefaultRoom : room.Trim();
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, ControlHubEvents.GroupFor(name), Context.ConnectionAborted);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, ControlHubEvents.StaffGroupFor(name), Context.ConnectionAborted);
    }

    private static LineRequest Required(LineRequest? request) =>
        request ?? throw new CommandRejectedException(RejectionCode.InvalidInput, "a line request is required: { text, language?, voice?, tag?, room? }");

    private Task RunAsync(string command, Role needed, string? room, Func<IRoomController, CancellationToken, ValueTask> action) =>
        RunAsync(command, needed, room, async (r, ct) =>
        {
            await action(r, ct);
            return true;
        });

    private async Task<T> RunAsync<T>(string command, Role needed, string? room, Func<IRoomController, CancellationToken, ValueTask<T>> action,
        bool keylessAllowed = false)
    {
        if (!(keylessAllowed && IsKeyless)) CallerRole.Demand(Context.User, needed);
        try
        {
            var controller = rooms.Resolve(room);
            var result = await action(controller, Context.ConnectionAborted);
            metrics.CommandSucceeded(command);
            if (result is LineTicket ticket) metrics.LineAccepted(ticket.Room, cued: command == nameof(CueNow));
            return result;
        }
        catch (CommandRejectedException rejection)
        {
            metrics.CommandRejected(command, rejection.Code);
            throw CommandErrorMapping.ToHubException(rejection);
        }
    }
}
