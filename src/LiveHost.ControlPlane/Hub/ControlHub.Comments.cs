using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace LiveHost.ControlPlane;

/// <summary>
/// Comments, FAQ answers and the review list (issue 11). A keyless connection (<c>Comments:AllowAnonymous</c>) may
/// only call <see cref="SendComment"/>, and <c>Subscribe</c>/<see cref="GetComments"/> for rooms whose comments are
/// public; every other method refuses it, naming the role it needs.
/// </summary>
public sealed partial class ControlHub
{
    private const string KeylessItem = "livehost.keyless";

    /// <summary>Posts a comment (viewer, or keyless when allowed). Refusals: text/nickname rules, the filter, the rate limits.</summary>
    public Task<Comment> SendComment(string? text, string? nickname = null, string? room = null) =>
        RunAsync(nameof(SendComment), Role.Viewer, room, async (r, _) =>
            await comments.PostAsync(Context.ConnectionId, Context.GetHttpContext()?.Connection.RemoteIpAddress, IsKeyless, r.Name, text, nickname),
            keylessAllowed: true);

    /// <summary>The room's last comments, oldest first: staff (seller+), or anyone when the room's comments are public.</summary>
    public Task<Comment[]> GetComments(string? room = null) =>
        RunAsync(nameof(GetComments), Role.Viewer, room, (r, _) =>
        {
            if (!comments.IsPublic(r.Name)) DemandRole(Role.Seller, $"room '{r.Name}' shows its comments to staff only");
            return ValueTask.FromResult(comments.Recent(r.Name).ToArray());
        }, keylessAllowed: true);

    /// <summary>Producer+: reads the answer of <paramref name="entryId"/> (or the best match) to comment <paramref name="commentId"/>.</summary>
    public Task<LineTicket> AnswerComment(string? commentId, string? entryId = null, string? room = null) =>
        RunAsync(nameof(AnswerComment), Role.Producer, room, async (r, ct) => await comments.AnswerAsync(r.Name, commentId, entryId, ct));

    public Task<FaqEntry[]> ListFaq(string? room = null) =>
        RunAsync(nameof(ListFaq), Role.Seller, room, (r, _) => ValueTask.FromResult(Faq.List(r.Name).ToArray()));

    /// <summary>Seller+: creates (no id) or replaces an FAQ entry of the room named in it (default main).</summary>
    public Task<FaqEntry> SaveFaq(FaqEntry? entry) =>
        RunAsync(nameof(SaveFaq), Role.Seller, entry?.Room, (r, _) => ValueTask.FromResult(Faq.Save(r.Name, entry)));

    public Task DeleteFaq(string? id, string? room = null) =>
        RunAsync(nameof(DeleteFaq), Role.Seller, room, (r, _) =>
        {
            Faq.Delete(r.Name, id ?? string.Empty);
            return ValueTask.CompletedTask;
        });

    /// <summary>Producer+: lines waiting for review (moderation mode <c>review</c>).</summary>
    public Task<HeldLine[]> GetHeldLines(string? room = null) =>
        RunAsync(nameof(GetHeldLines), Role.Producer, room, (r, _) => ValueTask.FromResult(r.HeldLines().ToArray()));

    /// <summary>Producer+: queues a held line, with <paramref name="text"/> instead of its own when given.</summary>
    public Task<LineTicket> ApproveLine(string? lineId, string? text = null, string? room = null) =>
        RunAsync(nameof(ApproveLine), Role.Producer, room, (r, ct) => r.ApproveAsync(lineId ?? string.Empty, text, ct));

    /// <summary>Producer+: drops a held line.</summary>
    public Task<HeldLine> RejectLine(string? lineId, string? room = null) =>
        RunAsync(nameof(RejectLine), Role.Producer, room, (r, _) => ValueTask.FromResult(r.Reject(lineId ?? string.Empty)));

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        comments.Forget(Context.ConnectionId);
        if (Context.Items.Remove(KeylessItem)) anonymous.Remove(Context.GetHttpContext()?.Connection.RemoteIpAddress);
        return base.OnDisconnectedAsync(exception);
    }

    private FaqBook Faq => comments.Faq;

    private bool IsKeyless => !CallerRole.TryGet(Context.User, out _);

    private void AdmitKeyless()
    {
        var limit = comments.Options.MaxAnonymousConnectionsPerAddress;
        if (!anonymous.TryAdd(Context.GetHttpContext()?.Connection.RemoteIpAddress, limit))
        {
            throw new HubException($"{limit} connections without a key are already open from your address (the limit is {limit}); close one or use a viewer key");
        }
        Context.Items[KeylessItem] = true;
    }

    private async Task JoinStaffAsync(string room, CancellationToken cancellationToken)
    {
        if (CallerRole.TryGet(Context.User, out var role) && role >= Role.Seller)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, ControlHubEvents.StaffGroupFor(room), cancellationToken);
        }
    }

    private void DemandPublicIfKeyless(string room)
    {
        if (IsKeyless && !comments.IsPublic(room))
        {
            throw new CommandRejectedException(RejectionCode.Forbidden,
                $"room '{room}' does not show its comments publicly, so subscribing to it needs a viewer key");
        }
    }

    private void DemandRole(Role needed, string why)
    {
        Role? held = CallerRole.TryGet(Context.User, out var role) ? role : null;
        if (held is null || held < needed)
        {
            throw new CommandRejectedException(RejectionCode.Forbidden, $"{why}: {CallerRole.MissingRoleMessage(needed, held)}");
        }
    }
}
