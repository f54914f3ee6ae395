using SkiaSharp;

namespace LiveHost.Avatars.Realistic;

/// <summary>
/// Where the recorded presenter is on the canvas, for the overlays: the package's face extent (every frame's face box)
/// scaled the way the frames are (<see cref="PrescaledFrameCache.Cover"/>), and the figure its <c>crop</c> implies.
/// </summary>
public sealed partial class RealisticAvatar : IFramedAvatar
{
    private PresenterFraming _framing;
    private (int Width, int Height) _framedFor;

    public PresenterFraming FramingFor(int width, int height)
    {
        if (_framedFor != (width, height))
        {
            var (scale, offset) = PrescaledFrameCache.Cover(_package, width, height);
            var extent = _package.FaceExtent;
            var face = new SKRect(offset.X + extent.X * scale, offset.Y + extent.Y * scale, offset.X + extent.Right * scale, offset.Y + extent.Bottom * scale);
            _framing = PresenterFraming.Around(_package.Crop, face, width, height);
            _framedFor = (width, height);
        }
        return _framing;
    }
}
