namespace LiveHost.Avatars.Products;

/// <summary>
/// The rules for a product image upload: only PNG and JPEG (recognised by their signature, not by a name or a declared
/// type), at most <see cref="MaxBytes"/>, at most <see cref="MaxPixels"/> decoded, stored as a PNG that fits in
/// <see cref="MaxSide"/> x <see cref="MaxSide"/>. The decoding and re-encoding is an <see cref="IProductImageNormalizer"/>'s.
/// </summary>
public static class ProductImage
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxSide = 512;

    /// <summary>Larger pictures are refused before they are decoded (a small file can claim a huge canvas).</summary>
    public const long MaxPixels = 40_000_000;

    public const string Accepted = "a PNG (image/png) or JPEG (image/jpeg) image of at most 2 MiB";

    public enum Problem
    {
        None,
        NotPngOrJpeg,
        Unreadable,
        TooManyPixels,
    }

    public static bool IsPng(ReadOnlySpan<byte> data) => data.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);

    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);
}
