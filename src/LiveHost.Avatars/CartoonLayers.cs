using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// The built-in presenter's parts drawn once per frame size (<see cref="CachedLayer"/>): the studio (standing: with
/// the floor and the legs), the body, the desk in front (none when standing), and the head under and over the mouth
/// and eyes. Everything but the head is still, save for breathing, which raises the body by whole pixels; so the
/// studio, the body and the desk are composed into one opaque picture per breathing offset (a handful; made when
/// first needed), and each frame starts with a plain copy of it.
/// </summary>
internal sealed class CartoonLayers(CachedLayer backdrop, CachedLayer body, CachedLayer? desk, CachedLayer headUnder, CachedLayer headOver, SKImageInfo frame)
    : IDisposable
{
    private readonly SKPaint _copy = new() { BlendMode = SKBlendMode.Src };
    private readonly Dictionary<int, SKImage> _scenes = [];

    public CachedLayer Body => body;

    public CachedLayer HeadUnder => headUnder;

    public CachedLayer HeadOver => headOver;

    /// <summary>Copies the still scene with the body raised by <paramref name="bodyRise"/> pixels (negative: up).</summary>
    public void DrawScene(SKCanvas canvas, int bodyRise)
    {
        if (!_scenes.TryGetValue(bodyRise, out var scene)) _scenes[bodyRise] = scene = Compose(bodyRise);
        canvas.Save();
        canvas.ResetMatrix();
        canvas.DrawImage(scene, 0, 0, SKSamplingOptions.Default, _copy);
        canvas.Restore();
    }

    private SKImage Compose(int bodyRise)
    {
        using var surface = SKSurface.Create(frame.WithAlphaType(SKAlphaType.Opaque)) ?? throw new InvalidOperationException("Skia could not create a scene surface.");
        backdrop.DrawShifted(surface.Canvas);
        body.DrawShifted(surface.Canvas, dy: bodyRise);
        desk?.DrawShifted(surface.Canvas);
        return surface.Snapshot();
    }

    public void Dispose()
    {
        foreach (var scene in _scenes.Values) scene.Dispose();
        _scenes.Clear();
        _copy.Dispose();
        backdrop.Dispose();
        body.Dispose();
        desk?.Dispose();
        headUnder.Dispose();
        headOver.Dispose();
    }
}
