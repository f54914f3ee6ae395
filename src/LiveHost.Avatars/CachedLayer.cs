using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// Part of a picture drawn once and replayed: the drawing is rasterized at the frame's resolution under the canvas
/// matrix it has at rest (<c>rest</c>: figure units to pixels). Each frame either copies it moved by whole pixels
/// (<see cref="DrawShifted"/>: the studio, the desk, the breathing body) or draws it under the matrix the canvas has
/// then (<see cref="Draw"/>: a small part under a pose, such as the tilting head, with bilinear sampling, which a
/// viewer cannot tell from redrawing the vector shapes). Only the pixels the part covers are stored and drawn.
/// Drawn posed onto a raster surface of premultiplied BGRA (the room's frames), the part is sampled and blended by
/// <see cref="AffineBilinearBlend"/> straight into the surface's pixels rather than by Skia (the same picture to a
/// level or two, at a fraction of the CPU); onto anything else, by Skia.
/// Not thread-safe: one renderer owns it.
/// </summary>
public sealed class CachedLayer : IDisposable
{
    private static readonly SKSamplingOptions Bilinear = new(SKFilterMode.Linear, SKMipmapMode.None);

    private readonly SKImage _image;
    private readonly SKMatrix _placement;
    // Made at the first posed draw (only the head's layers are drawn posed; the studio, body and desk never are).
    private AffineBilinearBlend? _blend;
    private readonly SKPixmap _target = new();

    private CachedLayer(SKImage image, SKMatrix placement)
    {
        _image = image;
        _placement = placement;
    }

    /// <summary>Pixels the layer covers at rest.</summary>
    public SKRectI Pixels { get; private init; }

    /// <param name="rest">The canvas matrix under which <paramref name="draw"/> would draw the part at rest.</param>
    /// <param name="bounds">Where the part draws, in the units <paramref name="draw"/> uses (strokes included).</param>
    /// <param name="frame">The frame's pixels: the layer keeps only what falls in them, plus a margin for poses.</param>
    public static CachedLayer Render(SKMatrix rest, SKRect bounds, SKRectI frame, Action<SKCanvas> draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        var onFrame = rest.MapRect(bounds);
        var margin = SKRectI.Inflate(frame, 16, 16);
        var pixels = SKRectI.Intersect(SKRectI.Round(new SKRect(
            MathF.Floor(onFrame.Left) - 2, MathF.Floor(onFrame.Top) - 2, MathF.Ceiling(onFrame.Right) + 2, MathF.Ceiling(onFrame.Bottom) + 2)), margin);
        if (pixels.Width <= 0 || pixels.Height <= 0) pixels = new SKRectI(0, 0, 1, 1);
        if (!rest.TryInvert(out var inverse)) throw new ArgumentException("the rest matrix cannot be inverted", nameof(rest));

        var info = new SKImageInfo(pixels.Width, pixels.Height, SKColorType.Bgra8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("Skia could not create a layer surface.");
        surface.Canvas.Clear(SKColors.Transparent);
        surface.Canvas.SetMatrix(SKMatrix.CreateTranslation(-pixels.Left, -pixels.Top).PreConcat(rest));
        draw(surface.Canvas);
        // Image pixels -> the units the part is drawn in: back through the rest matrix from where the raster sits.
        var placement = inverse.PreConcat(SKMatrix.CreateTranslation(pixels.Left, pixels.Top));
        return new CachedLayer(surface.Snapshot(), placement) { Pixels = pixels };
    }

    /// <summary>
    /// Draws the part where it was at rest, moved by whole pixels: a copy, whatever the canvas's matrix (the fastest
    /// way, and the only one for large parts: resampling costs more than drawing their shapes).
    /// </summary>
    public void DrawShifted(SKCanvas canvas, int dx = 0, int dy = 0)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        canvas.Save();
        canvas.ResetMatrix();
        canvas.DrawImage(_image, Pixels.Left + dx, Pixels.Top + dy, SKSamplingOptions.Default);
        canvas.Restore();
    }

    /// <summary>Draws the part where the canvas's current matrix puts it (the rest matrix times the pose).</summary>
    public void Draw(SKCanvas canvas)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        if (TryBlendInto(canvas)) return;
        canvas.Save();
        canvas.Concat(in _placement);
        canvas.DrawImage(_image, 0, 0, Bilinear);
        canvas.Restore();
    }

    // The fast path: the canvas draws into BGRA pixels we can reach, clipped to a rectangle.
    private unsafe bool TryBlendInto(SKCanvas canvas)
    {
        if (!canvas.IsClipRect || canvas.Surface is not { } surface || !surface.PeekPixels(_target)) return false;
        if (_target.ColorType != SKColorType.Bgra8888 || _target.AlphaType != SKAlphaType.Premul || _target.RowBytes % 4 != 0) return false;
        var stride = _target.RowBytes / 4;
        var target = new Span<uint>((void*)_target.GetPixels(), stride * _target.Height);
        var clip = SKRectI.Intersect(canvas.DeviceClipBounds, new SKRectI(0, 0, _target.Width, _target.Height));
        _blend ??= Blend(_image);
        return _blend.TryDraw(target, stride, clip, canvas.TotalMatrix.PreConcat(_placement));
    }

    private static unsafe AffineBilinearBlend Blend(SKImage image)
    {
        var pixels = new uint[image.Width * image.Height];
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Bgra8888, SKAlphaType.Premul);
        fixed (uint* first = pixels)
        {
            if (!image.ReadPixels(info, (nint)first, info.RowBytes, 0, 0)) throw new InvalidOperationException("Skia could not read a layer's pixels.");
        }
        return new AffineBilinearBlend(pixels, image.Width, image.Height);
    }

    public void Dispose()
    {
        _image.Dispose();
        _target.Dispose();
    }
}
