using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>How much of the presenter a picture shows: the head (and shoulders), down to the waist, or the whole figure.</summary>
public enum PresenterCrop
{
    Head,
    WaistUp,
    FullBody,
}

/// <summary>
/// Where the presenter is on the room's canvas, for laying the overlays out around it (<see cref="OverlayPlanner"/>):
/// <see cref="Face"/> is the box no overlay may cover (for a recorded presenter, every face box of its loop, so the
/// layout holds on every frame), and <see cref="Figure"/> an estimate of the whole visible body, from the face and the
/// <see cref="Crop"/>, which a product card keeps clear of when the frame has room beside it.
/// </summary>
public readonly record struct PresenterFraming(PresenterCrop Crop, SKRect Face, SKRect Figure)
{
    /// <summary>The manifest names of the crops: <c>head</c>, <c>waist-up</c>, <c>full-body</c>.</summary>
    public static readonly IReadOnlyList<string> CropNames = ["head", "waist-up", "full-body"];

    /// <summary>Parses a manifest crop name (exact, lower case).</summary>
    public static bool TryParseCrop(string? name, out PresenterCrop crop)
    {
        crop = name switch { "head" => PresenterCrop.Head, "waist-up" => PresenterCrop.WaistUp, "full-body" => PresenterCrop.FullBody, _ => (PresenterCrop)(-1) };
        return Enum.IsDefined(crop);
    }

    /// <summary>
    /// The framing of a presenter whose face (already in canvas pixels) is <paramref name="face"/>: the figure runs
    /// from a little above the face to the bottom of the canvas, as wide as shoulders (head: 2 face widths), arms at
    /// rest (waist-up: 3.2) or arms gesturing (full-body: 3), centred on the face, clipped to the canvas.
    /// </summary>
    public static PresenterFraming Around(PresenterCrop crop, SKRect face, int width, int height)
    {
        var halfWidth = face.Width * crop switch { PresenterCrop.Head => 1.0f, PresenterCrop.WaistUp => 1.6f, _ => 1.5f };
        var figure = new SKRect(face.MidX - halfWidth, face.Top - face.Height * 0.3f, face.MidX + halfWidth, height);
        figure.Intersect(new SKRect(0, 0, width, height));
        return new PresenterFraming(crop, face, figure);
    }
}

/// <summary>An avatar that knows where its presenter is, so the overlays can keep off it (see <see cref="FrameCompositor"/>).</summary>
public interface IFramedAvatar : IAvatar
{
    /// <summary>The presenter's framing on a canvas of this size; the same value on every call for the same size.</summary>
    PresenterFraming FramingFor(int width, int height);
}
