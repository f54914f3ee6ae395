using LiveHost.ControlPlane.Comments;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
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
public sealed partial class ControlHub(
    RoomResolver rooms, LiveHostMetrics metrics, CommentService comments, AnonymousConnections anonymous, ShowLibrary? show = null) : Hub
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
        RunAsync(nameof(EnqueueLine), Role.Seller, request?.Room, (room, ct) =>
        {
            LineRequestRoles.Demand(Context.User, request);
            return room.EnqueueAsync(Required(request) with { Room = room.Name }, ct);
        });

    public Task<LineTicket> CueNow(LineRequest? request) =>
        RunAsync(nameof(CueNow), Role.Producer, request?.Room, (room, ct) => room.CueNowAsync(Required(request) with { Room = room.Name }, ct));

    /// <summary>Addition (issue 10): a new line at <paramref name="position"/> of the waiting queue (0 = next).</summary>
    public Task<LineTicket> InsertLine(LineRequest? request, int position) =>
        RunAsync(nameof(InsertLine), Role.Producer, request?.Room, (room, ct) => room.InsertAsync(Required(request) with { Room = room.Name }, position, ct));

    /// <summary>Addition (issue 10): moves a waiting line to <paramref name="position"/> (0 = next).</summary>
    public Task<RoomState> MoveLine(string? lineId, int position, string? room = null) =>
        RunAsync(nameof(MoveLine), Role.Producer, room, (r, ct) => r.MoveAsync(RequiredId(lineId), position, ct));

    /// <summary>Addition (issue 10): takes a waiting or scheduled line out; its LineFinished has reason <c>removed</c>.</summary>
    public Task<RoomState> RemoveLine(string? lineId, string? room = null) =>
        RunAsync(nameof(RemoveLine), Role.Producer, room, (r, ct) => r.RemoveAsync(RequiredId(lineId), ct));

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
        request ?? throw new CommandRejectedException(RejectionCode.InvalidInput,
            "a line request is required: { text, language?, voice?, tag?, interruptible?, at?, product?, action?, room? }");

    private static string RequiredId(string? lineId) =>
        string.IsNullOrWhiteSpace(lineId)
            ? throw new CommandRejectedException(RejectionCode.InvalidInput, "a line id is required (the id in the line's ticket or in the room's queue)")
            : lineId.Trim();

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

    // Scripts and products (issue 10 points 4 and 5). The library is global; room commands answer with the room's state.

    public Task<ScriptList> ListScripts() => Library(nameof(ListScripts), Role.Seller, l => l.ListScripts());

    public Task<Script> GetScript(string? id) => Library(nameof(GetScript), Role.Seller, l => l.GetScript(id));

    /// <summary>Creates the script when its id is null, else replaces it.</summary>
    public Task<Script> SaveScript(Script? script) => Library(nameof(SaveScript), Role.Seller, l => l.SaveScript(script));

    public Task DeleteScript(string? id) => Library(nameof(DeleteScript), Role.Seller, l =>
    {
        l.DeleteScript(id);
        return true;
    });

    public Task<RoomState> PlayScript(string? scriptId, string? mode, string? room = null) =>
        RunAsync(nameof(PlayScript), Role.Producer, room, (r, ct) => Show.PlayScriptAsync(r.Name, scriptId, mode, ct));

    public Task<RoomState> StopScript(string? room = null) =>
        RunAsync(nameof(StopScript), Role.Producer, room, (r, _) => ValueTask.FromResult(Show.StopScript(r.Name)));

    public Task<ProductList> ListProducts() => Library(nameof(ListProducts), Role.Viewer, l => new ProductList(l.Products.List()));

    /// <summary>Creates the product when its id is null, else replaces it (its image stays).</summary>
    public Task<Product> SaveProduct(Product? product) => Library(nameof(SaveProduct), Role.Seller, l => l.Products.Save(product));

    public Task DeleteProduct(string? id) => Library(nameof(DeleteProduct), Role.Seller, l =>
    {
        l.Products.Delete(id ?? "");
        return true;
    });

    public Task<RoomState> ShowProduct(string? productId, int? countdownSeconds = null, string? room = null) =>
        RunAsync(nameof(ShowProduct), Role.Producer, room, (r, _) => ValueTask.FromResult(Show.ShowProduct(r.Name, productId, countdownSeconds)));

    public Task<RoomState> HideProduct(string? room = null) =>
        RunAsync(nameof(HideProduct), Role.Producer, room, (r, _) => ValueTask.FromResult(Show.HideProduct(r.Name)));

    private ShowLibrary Show =>
        show ?? throw new CommandRejectedException(RejectionCode.Unavailable, "scripts and products are not available on this server");

    private Task<T> Library<T>(string command, Role needed, Func<ShowLibrary, T> action)
    {
        CallerRole.Demand(Context.User, needed);
        try
        {
            var result = action(Show);
            metrics.CommandSucceeded(command);
            return Task.FromResult(result);
        }
        catch (CommandRejectedException rejection)
        {
            metrics.CommandRejected(command, rejection.Code);
            throw CommandErrorMapping.ToHubException(rejection);
        }
    }
}
