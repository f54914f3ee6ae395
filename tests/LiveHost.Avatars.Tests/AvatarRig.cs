using System.Runtime.InteropServices;
using LiveHost.Speech;
using SkiaSharp;

namespace LiveHost.Avatars.Tests;

/// <summary>
/// A presenter plus a compositor over it, and a twin presenter with the same seed rendering on its own: feeding
/// both the same frames gives the same avatar picture, so any difference is what the compositor drew on top.
/// </summary>
internal sealed class AvatarRig : IDisposable
{
    public const int Fps = 25;

    private readonly CartoonPresenter _twin;
    private readonly GCHandle _twinHandle;
    private readonly SKSurface _twinSurface;

    public AvatarRig(int width, int height, string language, int seed = 7)
    {
        Width = width;
        Height = height;
        Presenter = new CartoonPresenter(seed);
        _twin = new CartoonPresenter(seed);
        Compositor = new FrameCompositor(Presenter, width, height, language);
        Composed = new byte[width * height * 4];
        AvatarOnly = new byte[width * height * 4];
        _twinHandle = GCHandle.Alloc(AvatarOnly, GCHandleType.Pinned);
        var info = new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul);
        _twinSurface = SKSurface.Create(info, _twinHandle.AddrOfPinnedObject(), info.RowBytes);
    }

    public int Width { get; }
    public int Height { get; }
    public CartoonPresenter Presenter { get; }
    public FrameCompositor Compositor { get; }
    public byte[] Composed { get; }
    public byte[] AvatarOnly { get; }
    public CartoonLayout Layout => CartoonLayout.For(Width, Height);

    public static AvatarFrame Frame(long index, Viseme viseme = Viseme.Silence, float loudness = 0f, bool speaking = false) =>
        new(index, (double)index / Fps, viseme, loudness, speaking);

    /// <summary>Composes the frame, and renders the twin avatar alone for comparison.</summary>
    public void Render(in AvatarFrame frame, string? caption = null, float progress = float.NaN)
    {
        Compositor.Compose(frame, caption, progress, Composed);
        var canvas = _twinSurface.Canvas;
        var saved = canvas.Save();
        _twin.Render(frame, canvas, Width, Height);
        canvas.RestoreToCount(saved);
    }

    public void Dispose()
    {
        Compositor.Dispose();
        Presenter.Dispose();
        _twin.Dispose();
        _twinSurface.Dispose();
        _twinHandle.Free();
    }
}
