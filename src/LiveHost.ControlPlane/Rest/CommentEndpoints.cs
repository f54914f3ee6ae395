using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary>
/// REST mirrors of the issue-11 hub methods: a room's comments, FAQ entries and review list, and the moderation term
/// lists. Refusals become ProblemDetails through <see cref="CommandRejectionFilter"/>.
/// </summary>
public static class CommentEndpoints
{
    private const string FaqShape = "{ \"questions\": [\"...\"], \"answer\": \"...\", \"language\": \"en\" | \"zh\", \"product\"?: \"...\" }";

    public static void MapCommentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/rooms/{room}");

        api.MapGet("/comments", (string room, RoomResolver rooms, CommentService comments) =>
                Results.Ok(new CommentList(comments.Recent(rooms.Resolve(room).Name))))
            .RequireRole(Role.Seller).AddEndpointFilter(new CommandRejectionFilter("GetComments"));

        api.MapPost("/comments/{commentId}/answer", async (string room, string commentId, HttpRequest request, CommentService comments) =>
            {
                AnswerBody? body = null;
                if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
                {
                    var read = await JsonBody.ReadAsync<AnswerBody>(request, "{ \"entryId\"?: \"...\" }");
                    if (read.Value is null) return read.Problem!;
                    body = read.Value;
                }
                var ticket = await comments.AnswerAsync(room, commentId, body?.EntryId, request.HttpContext.RequestAborted);
                return Results.Accepted($"/api/rooms/{Uri.EscapeDataString(ticket.Room)}", ticket);
            })
            .RequireRole(Role.Producer).AddEndpointFilter(new CommandRejectionFilter("AnswerComment"));

        api.MapGet("/faq", (string room, RoomResolver rooms, CommentService comments) =>
                Results.Ok(new FaqList(comments.Faq.List(rooms.Resolve(room).Name))))
            .RequireRole(Role.Seller).AddEndpointFilter(new CommandRejectionFilter("ListFaq"));

        api.MapPost("/faq", async (string room, HttpRequest request, RoomResolver rooms, CommentService comments) =>
            {
                var name = rooms.Resolve(room).Name;
                var body = await JsonBody.ReadAsync<FaqEntry>(request, FaqShape);
                if (body.Value is null) return body.Problem!;
                var saved = comments.Faq.Save(name, body.Value with { Id = null });
                return Results.Created($"/api/rooms/{Uri.EscapeDataString(name)}/faq/{saved.Id}", saved);
            })
            .RequireRole(Role.Seller).AddEndpointFilter(new CommandRejectionFilter("SaveFaq"));

        api.MapPut("/faq/{id}", async (string room, string id, HttpRequest request, RoomResolver rooms, CommentService comments) =>
            {
                var name = rooms.Resolve(room).Name;
                var body = await JsonBody.ReadAsync<FaqEntry>(request, FaqShape);
                if (body.Value is null) return body.Problem!;
                return Results.Ok(comments.Faq.Save(name, body.Value with { Id = id }));
            })
            .RequireRole(Role.Seller).AddEndpointFilter(new CommandRejectionFilter("SaveFaq"));

        api.MapDelete("/faq/{id}", (string room, string id, RoomResolver rooms, CommentService comments) =>
            {
                comments.Faq.Delete(rooms.Resolve(room).Name, id);
                return Results.NoContent();
            })
            .RequireRole(Role.Seller).AddEndpointFilter(new CommandRejectionFilter("DeleteFaq"));

        api.MapGet("/review", (string room, RoomResolver rooms) => Results.Ok(new HeldList(rooms.Resolve(room).HeldLines())))
            .RequireRole(Role.Producer).AddEndpointFilter(new CommandRejectionFilter("GetHeldLines"));

        api.MapPost("/review/{lineId}/approve", async (string room, string lineId, HttpRequest request, RoomResolver rooms) =>
            {
                var controller = rooms.Resolve(room);
                string? text = null;
                if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
                {
                    var read = await JsonBody.ReadAsync<ApproveBody>(request, "{ \"text\"?: \"...\" }");
                    if (read.Value is null) return read.Problem!;
                    text = read.Value.Text;
                }
                var ticket = await controller.ApproveAsync(lineId, text, request.HttpContext.RequestAborted);
                return Results.Accepted($"/api/rooms/{Uri.EscapeDataString(controller.Name)}", ticket);
            })
            .RequireRole(Role.Producer).AddEndpointFilter(new CommandRejectionFilter("ApproveLine"));

        api.MapPost("/review/{lineId}/reject", (string room, string lineId, RoomResolver rooms) => Results.Ok(rooms.Resolve(room).Reject(lineId)))
            .RequireRole(Role.Producer).AddEndpointFilter(new CommandRejectionFilter("RejectLine"));

        var moderation = endpoints.MapGroup("/api/moderation/terms");
        moderation.MapGet("/", (IServiceProvider services) =>
                services.GetService<ModerationPolicy>() is { } policy ? Results.Ok(new TermLists(policy.Lists)) : NoPolicy())
            .RequireRole(Role.Admin);
        moderation.MapPut("/{language}", async (string language, HttpRequest request, IServiceProvider services) =>
            {
                if (services.GetService<ModerationPolicy>() is not { } policy) return NoPolicy();
                var body = await JsonBody.ReadAsync<TermsBody>(request, "{ \"blocked\": [\"...\"], \"allowed\"?: [\"...\"] }");
                if (body.Value is null) return body.Problem!;
                try
                {
                    return Results.Ok(policy.Replace(language, body.Value.Blocked, body.Value.Allowed));
                }
                catch (ArgumentException bad)
                {
                    throw new CommandRejectedException(RejectionCode.InvalidInput, bad.Message);
                }
            })
            .RequireRole(Role.Admin).AddEndpointFilter(new CommandRejectionFilter("SetModerationTerms"));
    }

    private static IResult NoPolicy() => CommandErrorMapping.ToProblem(
        new CommandRejectedException(RejectionCode.Unavailable, "this server has no moderation policy configured"));

    public sealed record CommentList(IReadOnlyList<Comment> Comments);
    public sealed record FaqList(IReadOnlyList<FaqEntry> Entries);
    public sealed record HeldList(IReadOnlyList<HeldLine> Lines);
    public sealed record TermLists(IReadOnlyList<TermList> Lists);
    public sealed record AnswerBody(string? EntryId);
    public sealed record ApproveBody(string? Text);
    public sealed record TermsBody(IReadOnlyList<string>? Blocked, IReadOnlyList<string>? Allowed);
}
