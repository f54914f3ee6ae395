using SkiaSharp;

namespace LiveHost.Avatars.Products;

/// <summary>
/// <see cref="IProductImageNormalizer"/> with SkiaSharp: a PNG or JPEG (by signature) is decoded and written again as
/// a PNG that fits in <see cref="ProductImage.MaxSide"/> x <see cref="ProductImage.MaxSide"/>, so nothing of the
/// uploaded file (metadata, trailing bytes) is kept or served back.
/// </summary>
public sealed class SkiaProductImageNormalizer : IProductImageNormalizer
{
    /// <summary>The re-encoded PNG, or null with the problem and a message that says what is accepted.</summary>
    public byte[]? TryNormalize(byte[] data, out ProductImage.Problem problem, out string? message)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!ProductImage.IsPng(data) && !ProductImage.IsJpeg(data))
        {
            problem = ProductImage.Problem.NotPngOrJpeg;
            message = $"the image is not PNG or JPEG (it starts with {Describe(data)}); send {ProductImage.Accepted}";
            return null;
        }
        using var encoded = SKData.CreateCopy(data);
        using var codec = SKCodec.Create(encoded);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            problem = ProductImage.Problem.Unreadable;
            message = $"the image could not be decoded (a damaged or truncated {(ProductImage.IsPng(data) ? "PNG" : "JPEG")}); send {ProductImage.Accepted}";
            return null;
        }
        if ((long)codec.Info.Width * codec.Info.Height > ProductImage.MaxPixels)
        {
            problem = ProductImage.Problem.TooManyPixels;
            message = $"the image is {codec.Info.Width}x{codec.Info.Height} pixels; the limit is {ProductImage.MaxPixels:N0} pixels";
            return null;
        }
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null)
        {
            problem = ProductImage.Problem.Unreadable;
            message = $"the image could not be decoded (a damaged or truncated {(ProductImage.IsPng(data) ? "PNG" : "JPEG")}); send {ProductImage.Accepted}";
            return null;
        }
        var scale = Math.Min(1f, (float)ProductImage.MaxSide / Math.Max(decoded.Width, decoded.Height));
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
        problem = ProductImage.Problem.None;
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
