namespace LiveHost.Avatars.Products;

/// <summary>
/// What a product card shows. <paramref name="Key"/> names this exact content (product id and version): the card is
/// drawn again only when it changes. <paramref name="ImagePng"/> is the server's own re-encoded PNG (see
/// <see cref="ProductImage"/>), or null.
/// </summary>
public sealed record ProductCardContent(string Key, string Name, string Price, IReadOnlyList<string> Bullets, byte[]? ImagePng);

/// <summary>One frame's card: its content and, when the card counts down, the seconds left (0 once it has ended).</summary>
public readonly record struct ProductCardFrame(ProductCardContent Content, int? SecondsLeft);
