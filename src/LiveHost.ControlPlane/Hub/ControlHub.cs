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
    RoomResolver rooms, LiveHostMetrics metrics, CommentService comments, AnonymousConnections anonymous, ShowLibrary? show = null,
    Cluster.RoomRouter? router = null, Cluster.RoomCommandForwarder? forwarder = null) : Hub
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
        }, mirror: () => Cluster.RestMirror.Post("lines", Required(request)));

    public Task<LineTicket> CueNow(LineRequest? request) =>
        RunAsync(nameof(CueNow), Role.Producer, request?.Room, (room, ct) => room.CueNowAsync(Required(request) with { Room = room.Name }, ct),
            mirror: () => Cluster.RestMirror.Post("cue", Required(request)));

    /// <summary>Addition (issue 10): a new line at <paramref name="position"/> of the waiting queue (0 = next).</summary>
    public Task<LineTicket> InsertLine(LineRequest? request, int position) =>
        RunAsync(nameof(InsertLine), Role.Producer, request?.Room, (room, ct) => room.InsertAsync(Required(request) with { Room = room.Name }, position, ct),
            mirror: () => Cluster.RestMirror.Post("queue", WithPosition(Required(request), position)));

    /// <summary>Addition (issue 10): moves a waiting line to <paramref name="position"/> (0 = next).</summary>
    public Task<RoomState> MoveLine(string? lineId, int position, string? room = null) =>
        RunAsync(nameof(MoveLine), Role.Producer, room, (r, ct) => r.MoveAsync(RequiredId(lineId), position, ct),
            mirror: () => Cluster.RestMirror.Put("queue/" + Uri.EscapeDataString(RequiredId(lineId)), new { position }));

    /// <summary>Addition (issue 10): takes a waiting or scheduled line out; its LineFinished has reason <c>removed</c>.</summary>
    public Task<RoomState> RemoveLine(string? lineId, string? room = null) =>
        RunAsync(nameof(RemoveLine), Role.Producer, room, (r, ct) => r.RemoveAsync(RequiredId(lineId), ct),
            mirror: () => Cluster.RestMirror.Delete("queue/" + Uri.EscapeDataString(RequiredId(lineId))));

    public Task Skip(string? room = null) => RunAsync(nameof(Skip), Role.Producer, room, (r, ct) => r.SkipAsync(ct), () => Cluster.RestMirror.Post("skip"));

    public Task Pause(string? room = null) => RunAsync(nameof(Pause), Role.Producer, room, (r, ct) => r.PauseAsync(ct), () => Cluster.RestMirror.Post("pause"));

    public Task Resume(string? room = null) => RunAsync(nameof(Resume), Role.Producer, room, (r, ct) => r.ResumeAsync(ct), () => Cluster.RestMirror.Post("resume"));

    public Task ClearQueue(string? room = null) => RunAsync(nameof(ClearQueue), Role.Producer, room, (r, ct) => r.ClearQueueAsync(ct), () => Cluster.RestMirror.Post("clear"));

    public Task<RoomState> GetState(string? room = null) =>
        RunAsync(nameof(GetState), Role.Viewer, room, (r, _) => ValueTask.FromResult(r.GetState()), mirror: () => Cluster.RestMirror.Get());

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
        }, keylessAllowed: true, mirror: () => Cluster.RestMirror.Get(), beforeForward: async (name, ct) =>
        {
            // The room runs elsewhere: its events reach this node over the backplane, so joining here is enough.
            if (IsKeyless) throw new CommandRejectedException(RejectionCode.Forbidden, $"room '{name}' runs on another node: subscribing without a key is only possible there");
            await Groups.AddToGroupAsync(Context.ConnectionId, ControlHubEvents.GroupFor(name), ct);
            await JoinStaffAsync(name, ct);
        });
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

    /// <summary>The body of <c>POST /api/rooms/{room}/queue</c>: the line's fields and its position.</summary>
    private static System.Text.Json.Nodes.JsonObject WithPosition(LineRequest request, int position)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToNode(request, System.Text.Json.JsonSerializerOptions.Web)!.AsObject();
        body["position"] = position;
        return body;
    }

    private async Task<T> ForwardAsync<T>(string command, Cluster.RoomRoute route, Func<Cluster.RestMirror>? mirror,
        Func<string, CancellationToken, Task>? beforeForward)
    {
        if (route.Kind == Cluster.RoomRouteKind.Moving) throw Cluster.RoomRouter.MovingRejection(route.Room);
        if (mirror is null)
        {
            throw new CommandRejectedException(RejectionCode.Unavailable,
                $"room '{route.Room}' runs on node '{route.Owner!.Id}' ({route.Owner.PublicUrl}); {command} is not forwarded: connect to that node for it");
        }

        if (beforeForward is not null) await beforeForward(route.Room, Context.ConnectionAborted);
        return await forwarder!.InvokeAsync<T>(route.Owner!, route.Room, mirror(), CallerKey(), Context.ConnectionAborted);
    }

    /// <summary>The key this connection presented (Authorization header or SignalR's access_token), sent on with a forwarded command.</summary>
    private string? CallerKey()
    {
        if (Context.GetHttpContext() is not { } http) return null;
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        var query = http.Request.Query["access_token"].ToString();
        return query.Length == 0 ? null : query;
    }

    private static string RequiredId(string? lineId) =>
        string.IsNullOrWhiteSpace(lineId)
            ? throw new CommandRejectedException(RejectionCode.InvalidInput, "a line id is required (the id in the line's ticket or in the room's queue)")
            : lineId.Trim();

    private Task RunAsync(string command, Role needed, string? room, Func<IRoomController, CancellationToken, ValueTask> action,
        Func<Cluster.RestMirror>? mirror = null) =>
        RunAsync(command, needed, room, async (r, ct) =>
        {
            await action(r, ct);
            return true;
        }, mirror: mirror);

    /// <param name="mirror">The command's REST twin, sent to the owner when another node runs the room (null: not forwarded).</param>
    /// <param name="beforeForward">Done here before a forwarded command (Subscribe joins the room's group on this node).</param>
    private async Task<T> RunAsync<T>(string command, Role needed, string? room, Func<IRoomController, CancellationToken, ValueTask<T>> action,
        bool keylessAllowed = false, Func<Cluster.RestMirror>? mirror = null, Func<string, CancellationToken, Task>? beforeForward = null)
    {
        if (!(keylessAllowed && IsKeyless)) CallerRole.Demand(Context.User, needed);
        try
        {
            if (router is not null && forwarder is not null && await router.RouteAsync(room, Context.ConnectionAborted) is { IsLocal: false } route)
            {
                var forwarded = await ForwardAsync<T>(command, route, mirror, beforeForward);
                metrics.CommandSucceeded(command);
                return forwarded;
            }

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
        RunAsync(nameof(PlayScript), Role.Producer, room, (r, ct) => Show.PlayScriptAsync(r.Name, scriptId, mode, ct),
            mirror: () => Cluster.RestMirror.Post("script", new { scriptId, mode }));

    public Task<RoomState> StopScript(string? room = null) =>
        RunAsync(nameof(StopScript), Role.Producer, room, (r, _) => ValueTask.FromResult(Show.StopScript(r.Name)), mirror: () => Cluster.RestMirror.Delete("script"));

    public Task<ProductList> ListProducts() => Library(nameof(ListProducts), Role.Viewer, l => new ProductList(l.Products.List()));

    /// <summary>Creates the product when its id is null, else replaces it (its image stays).</summary>
    public Task<Product> SaveProduct(Product? product) => Library(nameof(SaveProduct), Role.Seller, l => l.Products.Save(product));

    public Task DeleteProduct(string? id) => Library(nameof(DeleteProduct), Role.Seller, l =>
    {
        l.Products.Delete(id ?? "");
        return true;
    });

    public Task<RoomState> ShowProduct(string? productId, int? countdownSeconds = null, string? room = null) =>
        RunAsync(nameof(ShowProduct), Role.Producer, room, (r, _) => ValueTask.FromResult(Show.ShowProduct(r.Name, productId, countdownSeconds)),
            mirror: () => Cluster.RestMirror.Post("product", new { productId, countdownSeconds }));

    public Task<RoomState> HideProduct(string? room = null) =>
        RunAsync(nameof(HideProduct), Role.Producer, room, (r, _) => ValueTask.FromResult(Show.HideProduct(r.Name)), mirror: () => Cluster.RestMirror.Delete("product"));

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
