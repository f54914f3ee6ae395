using LiveHost.Avatars.Packages;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.LipSync;

/// <summary>
/// Moves pixels between a package frame and the Wav2Lip contract's planes, with buffers made once: the face box
/// resized to 96x96 becomes the 6-plane input (target with its lower half zeroed, then the same crop as the
/// reference, 0..1, in the model's <see cref="FaceChannelOrder"/>: BGR for Wav2Lip, whose inference feeds OpenCV
/// frames), and the 3-plane output, in the same order, becomes a premultiplied patch whose alpha is the
/// <see cref="FeatheredMask"/>. Not thread-safe; one per avatar.
/// </summary>
public sealed class FaceCropper : IDisposable
{
    private readonly int _size;
    private readonly SKBitmap _crop;
    private readonly SKCanvas _cropCanvas;
    private readonly SKBitmap _patch;
    private readonly SKImage _patchImage;
    private readonly FeatheredMask _mask;
    private readonly SKPaint _paint = new() { IsAntialias = false };
    private readonly SKSamplingOptions _sampling = new(SKFilterMode.Linear, SKMipmapMode.None);

    // Byte offset within an RGBA pixel of the colour that goes to plane 0, 1, 2.
    private readonly int _first;
    private readonly int _third;

    public FaceCropper(int size, float featherFraction, FaceChannelOrder order = FaceChannelOrder.Bgr)
    {
        if (!Enum.IsDefined(order)) throw new ArgumentOutOfRangeException(nameof(order), order, "unknown channel order");
        _size = size;
        Order = order;
        (_first, _third) = order == FaceChannelOrder.Bgr ? (2, 0) : (0, 2);
        _crop = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        _cropCanvas = new SKCanvas(_crop);
        _patch = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        // Wraps the patch's pixels without a copy, so drawing it each frame allocates nothing.
        _patchImage = SKImage.FromPixels(_patch.PeekPixels());
        _mask = new FeatheredMask(size, featherFraction);
    }

    public FaceChannelOrder Order { get; }

    /// <summary>The last patch made by <see cref="MakePatch"/> (premultiplied, transparent over the upper face).</summary>
    public SKBitmap Patch => _patch;

    public FeatheredMask Mask => _mask;

    /// <summary>Fills the [6, size, size] input from the face box of <paramref name="frame"/>.</summary>
    public void FillInput(SKImage frame, FaceBox face, Span<float> input) =>
        FillInput(frame, new SKRect(face.X, face.Y, face.Right, face.Bottom), input);

    /// <summary>Fills the [6, size, size] input from <paramref name="face"/>, a rectangle of <paramref name="frame"/>'s pixels.</summary>
    public void FillInput(SKImage frame, SKRect face, Span<float> input)
    {
        var plane = _size * _size;
        if (input.Length < 6 * plane) throw new ArgumentException($"The face input needs {6 * plane} floats.", nameof(input));
        _cropCanvas.Clear(SKColors.Black);
        _cropCanvas.DrawImage(frame, face, new SKRect(0, 0, _size, _size), _sampling, _paint);
        _cropCanvas.Flush();
        var pixels = _crop.GetPixelSpan();
        var half = _size / 2 * _size;
        for (var i = 0; i < plane; i++)
        {
            var c0 = pixels[4 * i + _first] / 255f;
            var c1 = pixels[4 * i + 1] / 255f;
            var c2 = pixels[4 * i + _third] / 255f;
            var masked = i >= half;
            input[i] = masked ? 0 : c0;
            input[plane + i] = masked ? 0 : c1;
            input[2 * plane + i] = masked ? 0 : c2;
            input[3 * plane + i] = c0;
            input[4 * plane + i] = c1;
            input[5 * plane + i] = c2;
        }
    }

    /// <summary>Turns the [3, size, size] output (0..1) into <see cref="Patch"/>, alpha from the mask.</summary>
    public void MakePatch(ReadOnlySpan<float> output)
    {
        var plane = _size * _size;
        if (output.Length < 3 * plane) throw new ArgumentException($"The face output needs {3 * plane} floats.", nameof(output));
        var pixels = _patch.GetPixelSpan();
        var alpha = _mask.Alpha;
        for (var i = 0; i < plane; i++)
        {
            var a = alpha[i];
            pixels[4 * i + _first] = ToByte(output[i] * a);
            pixels[4 * i + 1] = ToByte(output[plane + i] * a);
            pixels[4 * i + _third] = ToByte(output[2 * plane + i] * a);
            pixels[4 * i + 3] = ToByte(a);
        }
        _patch.NotifyPixelsChanged();
    }

    /// <summary>Draws the patch into <paramref name="destination"/> (the face box in canvas coordinates).</summary>
    public void DrawPatch(SKCanvas canvas, SKRect destination)
    {
        canvas.DrawImage(_patchImage, new SKRect(0, 0, _size, _size), destination, _sampling, _paint);
    }

    private static byte ToByte(float value) => (byte)Math.Clamp((int)(value * 255f + 0.5f), 0, 255);

    public void Dispose()
    {
        _cropCanvas.Dispose();
        _crop.Dispose();
        _patchImage.Dispose();
        _patch.Dispose();
        _paint.Dispose();
    }
}
