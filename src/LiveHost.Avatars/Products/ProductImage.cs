using SkiaSharp;

namespace LiveHost.Avatars.Products;

/// <summary>
/// Checks a product image upload and re-encodes it: only PNG and JPEG are accepted (recognised by their signature, not
/// by a name or a declared type), decoded with SkiaSharp and written again as a PNG that fits in
/// <see cref="MaxSide"/> x <see cref="MaxSide"/>, so nothing of the uploaded file (metadata, trailing bytes) is kept
/// or served back.
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

    /// <summary>The re-encoded PNG, or null with the problem and a message that says what is accepted.</summary>
    public static byte[]? TryNormalize(byte[] data, out Problem problem, out string? message)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!IsPng(data) && !IsJpeg(data))
        {
            problem = Problem.NotPngOrJpeg;
            message = $"the image is not PNG or JPEG (it starts with {Describe(data)}); send {Accepted}";
            return null;
        }
        using var encoded = SKData.CreateCopy(data);
        using var codec = SKCodec.Create(encoded);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            problem = Problem.Unreadable;
            message = $"the image could not be decoded (a damaged or truncated {(IsPng(data) ? "PNG" : "JPEG")}); send {Accepted}";
            return null;
        }
        if ((long)codec.Info.Width * codec.Info.Height > MaxPixels)
        {
            problem = Problem.TooManyPixels;
            message = $"the image is {codec.Info.Width}x{codec.Info.Height} pixels; the limit is {MaxPixels:N0} pixels";
            return null;
        }
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null)
        {
            problem = Problem.Unreadable;
            message = $"the image could not be decoded (a damaged or truncated {(IsPng(data) ? "PNG" : "JPEG")}); send {Accepted}";
            return null;
        }
        var scale = Math.Min(1f, (float)MaxSide / Math.Max(decoded.Width, decoded.Height));
        var width = Math.Max(1, (int)MathF.Round(decoded.Width * scale));
        var height = Math.Max(1, (int)MathF.Round(decoded.Height * scale));
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.Transparent);
        using (var image = SKImage.FromBitmap(decoded))
        {
            surface.Canvas.DrawImage(image, new SKRect(0, 0, width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        }
        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        problem = Problem.None;
        message = null;
        return png.ToArray();
    }

    private static string Describe(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return "nothing: the body is empty";
        if (data.StartsWith("%PDF"u8)) return "%PDF: it is a PDF";
        return "bytes " + Convert.ToHexString(data[..Math.Min(8, data.Length)]);
    }
}
