using System.Text.Json.Serialization;

namespace LiveHost.Engine.Show;

/// <summary>
/// A product a seller can put on screen. <see cref="Id"/> null: a new product. <see cref="HasImage"/> and
/// <see cref="UpdatedAt"/> are the server's (ignored when sent).
/// </summary>
public sealed record Product(
    string? Id,
    string? Name,
    decimal? Price,
    string? Currency,
    IReadOnlyList<string>? Bullets = null,
    bool HasImage = false,
    DateTimeOffset? UpdatedAt = null);

/// <summary>Body of <c>GET /api/products</c> and result of <c>ListProducts()</c>.</summary>
public sealed record ProductList(IReadOnlyList<Product> Products);

[JsonConverter(typeof(JsonStringEnumConverter<ProductShownBy>))]
public enum ProductShownBy
{
    /// <summary>Shown by a producer (ShowProduct), until hidden.</summary>
    [JsonStringEnumMemberName("hand")] Hand,

    /// <summary>Shown because the line on air names it.</summary>
    [JsonStringEnumMemberName("line")] Line,
}

/// <summary><c>RoomState.product</c>: the card on screen, why, and when its countdown ends (null: no countdown).</summary>
public sealed record ProductOnAir(string Id, string Name, ProductShownBy ShownBy, DateTimeOffset? EndsAt);

/// <summary>Body of <c>POST /api/rooms/{room}/product</c>.</summary>
public sealed record ShowProductRequest(string? ProductId, int? CountdownSeconds = null);

/// <summary>Body of <c>POST /api/rooms/{room}/script</c>.</summary>
public sealed record PlayScriptRequest(string? ScriptId, string? Mode);
