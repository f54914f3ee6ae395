using System.Text;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane;

/// <summary>
/// The script library (<c>/api/scripts</c>, seller+) and playing scripts in a room (<c>/api/rooms/{room}/script</c>,
/// producer+). Bodies up to 1 MiB; a script is JSON, or <c>text/plain</c> with one spoken line per line
/// (<c>?name=&amp;language=</c>). The work is <see cref="ShowLibrary"/>'s; without one registered these answer 503.
/// </summary>
public static class ScriptEndpoints
{
    public const int MaxBodyBytes = 1024 * 1024;
    private const string ScriptShape = "{ \"name\": \"...\", \"lines\": [ { \"text\": \"...\", \"language\"?: \"en\" | \"zh\", \"voice\"?: \"...\", \"product\"?: \"id\", \"pauseAfterMs\"?: 0 } ] }";
    private const string PlayShape = "{ \"scriptId\": \"...\", \"mode\": \"once\" | \"loop\" }";

    public static void MapScriptEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var scripts = endpoints.MapGroup("/api/scripts");

        scripts.MapGet("/", (HttpContext context) => Results.Ok(Show(context).ListScripts()))
            .RequireRole(Role.Seller)
            .AddEndpointFilter(new CommandRejectionFilter("ListScripts"));

        scripts.MapPost("/", async (HttpContext context) =>
            {
                var body = await ReadScriptAsync(context.Request);
                if (body.Value is null) return body.Problem!;
                var saved = Show(context).SaveScript(body.Value with { Id = null });
                return Results.Created($"/api/scripts/{saved.Id}", saved);
            })
            .RequireRole(Role.Seller)
            .AddEndpointFilter(new CommandRejectionFilter("SaveScript"));

        scripts.MapGet("/{id}", (string id, HttpContext context) => Results.Ok(Show(context).GetScript(id)))
            .RequireRole(Role.Seller)
            .AddEndpointFilter(new CommandRejectionFilter("GetScript"));

        scripts.MapPut("/{id}", async (string id, HttpContext context) =>
            {
                var show = Show(context);
                show.GetScript(id);
                var body = await ReadScriptAsync(context.Request);
                if (body.Value is null) return body.Problem!;
                return Results.Ok(show.SaveScript(body.Value, id));
            })
            .RequireRole(Role.Seller)
            .AddEndpointFilter(new CommandRejectionFilter("SaveScript"));

        scripts.MapDelete("/{id}", (string id, HttpContext context) =>
            {
                Show(context).DeleteScript(id);
                return Results.NoContent();
            })
            .RequireRole(Role.Seller)
            .AddEndpointFilter(new CommandRejectionFilter("DeleteScript"));

        scripts.MapGet("/{id}/export", (string id, string? format, HttpContext context) =>
            {
                var script = Show(context).GetScript(id);
                return (format?.Trim().ToLowerInvariant() ?? "json") switch
                {
                    "json" => Results.Json(script),
                    "text" => Results.Text(ScriptText.Format(script), "text/plain; charset=utf-8", Encoding.UTF8),
                    _ => throw new CommandRejectedException(RejectionCode.InvalidInput, $"format is '{format}'; use format=json or format=text"),
                };
            })
            .RequireRole(Role.Seller)
            .AddEndpointFilter(new CommandRejectionFilter("ExportScript"));

        var room = endpoints.MapGroup("/api/rooms/{room}/script");

        room.MapPost("/", async (string room, HttpContext context, RoomResolver rooms) =>
            {
                var name = rooms.Resolve(room).Name;
                var body = await JsonBody.ReadAsync<PlayScriptRequest>(context.Request, PlayShape);
                if (body.Value is null) return body.Problem!;
                return Results.Ok(await Show(context).PlayScriptAsync(name, body.Value.ScriptId, body.Value.Mode, context.RequestAborted));
            })
            .RequireRole(Role.Producer)
            .AddEndpointFilter(new CommandRejectionFilter("PlayScript"));

        room.MapDelete("/", (string room, HttpContext context, RoomResolver rooms) => Results.Ok(Show(context).StopScript(rooms.Resolve(room).Name)))
            .RequireRole(Role.Producer)
            .AddEndpointFilter(new CommandRejectionFilter("StopScript"));
    }

    internal static ShowLibrary Show(HttpContext context) =>
        context.RequestServices.GetService<ShowLibrary>()
        ?? throw new CommandRejectedException(RejectionCode.Unavailable, "scripts and products are not available on this server");

    /// <summary>A script from JSON, or from <c>text/plain</c> (one spoken line per line; <c>?name=&amp;language=</c>).</summary>
    private static async Task<JsonBody.Result<Script>> ReadScriptAsync(HttpRequest request)
    {
        if (request.ContentType is { } type && type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            if (request.ContentLength > MaxBodyBytes) return TooLarge();
            var bytes = await JsonBody.ReadAtMostAsync(request.Body, MaxBodyBytes, request.HttpContext.RequestAborted);
            if (bytes is null) return TooLarge();
            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                return new(null, Results.Problem(detail: "the text is not valid UTF-8: send the script as UTF-8 text", statusCode: StatusCodes.Status400BadRequest, title: "Bad Request"));
            }
            return new(ScriptText.Parse(text, request.Query["name"].LastOrDefault(), request.Query["language"].LastOrDefault()), null);
        }
        return await JsonBody.ReadAsync<Script>(request, ScriptShape, MaxBodyBytes);
    }

    private static JsonBody.Result<Script> TooLarge() => new(null, Results.Problem(
        detail: $"the body is larger than {MaxBodyBytes} bytes (1 MiB); a script may have at most {ScriptValidator.MaxLines} lines",
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large"));
}
