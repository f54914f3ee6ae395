using LiveHost.Avatars.Products;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace LiveHost.ControlPlane;

/// <summary>
/// The product library (<c>/api/products</c>: list viewer+, edit seller+), product images (PNG or JPEG up to 2 MiB,
/// re-encoded by the server) and showing a product in a room (<c>/api/rooms/{room}/product</c>, producer+).
/// </summary>
public static class ProductEndpoints
{
    private const string ProductShape = "{ \"name\": \"...\", \"price\": 19.99, \"currency\": \"USD\", \"bullets\"?: [\"...\"] }";
    private const string ShowShape = "{ \"productId\": \"...\", \"countdownSeconds\"?: 300 }";
    private static readonly string[] ImageTypes = ["image/png", "image/jpeg"];

    public static void MapProductEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var products = endpoints.MapGroup("/api/products");

        products.MapGet("/", (HttpContext context) => Results.Ok(new ProductList(Catalog(context).List())))
            .RequireRole(Role.Viewer)
            .AddEndpointFilter(new CommandRejectionFilter("ListProducts"));

        products.MapPost("/", async (HttpContext context) =>
            {
                var catalog = Catalog(context);
                var body = await JsonBody.ReadAsync<Product>(context.Request, ProductShape);
                if (body.Value is null) return body.Problem!;
                var saved = catalog.Save(body.Value with { Id = null });
                return Results.Created($"/api/products/{saved.Id}", saved);
            })
            .RequireRole(Role.Seller)
            .AddEndpointFilter(new CommandRejectionFilter("SaveProduct"));

        products.MapGet("/{id}", (string id, HttpContext context) => Results.Ok(Catalog(context).Get(id)))
            .RequireRole(Role.Seller)
            .AddEndpointFilter(new CommandRejectionFilter("GetProduct"));

        products.MapPut("/{id}", async (string id, HttpContext context) =>
            {
                var catalog = Catalog(context);
                catalog.Get(id);
                var body = await JsonBody.ReadAsync<Product>(context.Request, ProductShape);
                if (body.Value is null) return body.Problem!;
                return Results.Ok(catalog.Save(body.Value, id));
            })
            .RequireRole(Role.Seller)
            .AddEndpointFilter(new CommandRejectionFilter("SaveProduct"));

        products.MapDelete("/{id}", (string id, HttpContext context) =>
            {
                Catalog(context).Delete(id);
                return Results.NoContent();
            })
            .RequireRole(Role.Seller)
            .AddEndpointFilter(new CommandRejectionFilter("DeleteProduct"));

        products.MapPut("/{id}/image", (string id, HttpContext context) => PutImageAsync(id, context))
            .RequireRole(Role.Seller)
            .AddEndpointFilter(new CommandRejectionFilter("SetProductImage"));

        products.MapGet("/{id}/image", (string id, HttpContext context) =>
                Catalog(context).Image(id) is { } png
                    ? Results.File(png, "image/png")
                    : throw new CommandRejectedException(RejectionCode.NotFound, $"product '{id}' has no image"))
            .RequireRole(Role.Viewer)
            .AddEndpointFilter(new CommandRejectionFilter("GetProductImage"));

        var room = endpoints.MapGroup("/api/rooms/{room}/product");

        room.MapPost("/", async (string room, HttpContext context, RoomResolver rooms) =>
            {
                var name = rooms.Resolve(room).Name;
                var body = await JsonBody.ReadAsync<ShowProductRequest>(context.Request, ShowShape);
                if (body.Value is null) return body.Problem!;
                return Results.Ok(ScriptEndpoints.Show(context).ShowProduct(name, body.Value.ProductId, body.Value.CountdownSeconds));
            })
            .RequireRole(Role.Producer)
            .AddEndpointFilter(new CommandRejectionFilter("ShowProduct"));

        room.MapDelete("/", (string room, HttpContext context, RoomResolver rooms) => Results.Ok(ScriptEndpoints.Show(context).HideProduct(rooms.Resolve(room).Name)))
            .RequireRole(Role.Producer)
            .AddEndpointFilter(new CommandRejectionFilter("HideProduct"));
    }

    private static ProductCatalog Catalog(HttpContext context) => ScriptEndpoints.Show(context).Products;

    // Refused in this order, each before anything changes: unknown product 404, another type 415, over 2 MiB 413,
    // not really PNG/JPEG 415 (the bytes decide, not the declared type), undecodable 400.
    private static async Task<IResult> PutImageAsync(string id, HttpContext context)
    {
        var catalog = Catalog(context);
        catalog.Get(id);
        var type = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        if (type is null || !ImageTypes.Contains(type))
        {
            throw new CommandRejectedException(RejectionCode.UnsupportedMediaType,
                $"the Content-Type is '{context.Request.ContentType}'; send {ProductImage.Accepted}");
        }
        if (context.Request.ContentLength > ProductImage.MaxBytes)
        {
            throw TooLarge($"the image is {context.Request.ContentLength} bytes");
        }
        var body = await JsonBody.ReadAtMostAsync(context.Request.Body, ProductImage.MaxBytes, context.RequestAborted);
        if (body is null)
        {
            throw TooLarge("the image is larger than that");
        }
        return Results.Ok(catalog.SetImage(id, body));
    }

    private static CommandRejectedException TooLarge(string what) =>
        new(RejectionCode.PayloadTooLarge, $"{what}; the limit is {ProductImage.MaxBytes} bytes (2 MiB): send {ProductImage.Accepted}");
}
