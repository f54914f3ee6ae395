namespace LiveHost.Avatars.Products;

/// <summary>
/// Checks a product image upload against <see cref="ProductImage"/>'s rules and re-encodes it, so nothing of the
/// uploaded file (metadata, trailing bytes) is kept or served back. The engine's product catalog calls it; the host
/// wires the SkiaSharp implementation (<c>SkiaProductImageNormalizer</c> in LiveHost.Avatars).
/// </summary>
public interface IProductImageNormalizer
{
    /// <summary>The re-encoded PNG, or null with the problem and a message that says what is accepted.</summary>
    byte[]? TryNormalize(byte[] data, out ProductImage.Problem problem, out string? message);
}
