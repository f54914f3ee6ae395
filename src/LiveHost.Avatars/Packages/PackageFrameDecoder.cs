using SkiaSharp;

namespace LiveHost.Avatars.Packages;

/// <summary>
/// Decodes a package's frames, one at a time, into a single bitmap it owns (package size, RGBA premultiplied), so
/// playing a loop allocates nothing per frame after the first. One per avatar (per room); not thread-safe. Asking
/// for the frame already decoded costs nothing (a room's fps above the package's repeats frames).
/// </summary>
public sealed class PackageFrameDecoder : IDisposable
{
    private readonly AvatarPackage _package;
    private readonly SKBitmap _bitmap;
    private int _decoded = -1;

    public PackageFrameDecoder(AvatarPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        _package = package;
        _bitmap = new SKBitmap(new SKImageInfo(package.Width, package.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
    }

    /// <summary>The bitmap frames are decoded into (the same object for the decoder's lifetime).</summary>
    public SKBitmap Bitmap => _bitmap;

    /// <summary>Stored frames decoded so far (diagnostics, tests).</summary>
    public int Decodes { get; private set; }

    /// <summary>The bitmap holding stored frame <paramref name="index"/>; valid until the next call.</summary>
    public unsafe SKBitmap Decode(int index)
    {
        if (index == _decoded) return _bitmap;
        var jpeg = _package.FrameJpeg(index);
        fixed (byte* bytes = jpeg.Span)
        {
            using var data = SKData.Create((IntPtr)bytes, jpeg.Length);
            using var codec = SKCodec.Create(data)
                ?? throw new InvalidOperationException($"Frame {index} of package {_package.Id} is not decodable.");
            var result = codec.GetPixels(_bitmap.Info, _bitmap.GetPixels());
            if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            {
                throw new InvalidOperationException($"Frame {index} of package {_package.Id} failed to decode: {result}.");
            }
        }
        _bitmap.NotifyPixelsChanged();
        _decoded = index;
        Decodes++;
        return _bitmap;
    }

    public void Dispose() => _bitmap.Dispose();
}
