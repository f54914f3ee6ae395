using LiveHost.Avatars.Packages;
using LiveHost.Speech;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.Atlas;

/// <summary>
/// The run-time side of a package's mouth atlas: each frame's viseme (phoneme marks, or the audio model's when the
/// room's MouthSource is "audio") picks one of that viseme's samples, which is drawn over the atlas region of that
/// frame's face box (samples are stored normalised to the face, so they follow the head) through a feathered mask
/// (opaque in the middle, fading to the recorded pixels at every edge). When the viseme changes the new sample
/// cross-fades in over <see cref="CrossFadeSeconds"/>: drawn over the previous one with a rising alpha. Outside
/// speech the Silence sample (a closed mouth) is shown, so an idle loop cut from speaking frames still rests closed.
/// A viseme without samples borrows the nearest shape (<see cref="Borrow"/>). Samples cycle per viseme, so a
/// repeated sound does not show the very same picture each time.
/// Samples are decoded, masked and premultiplied once in the constructor; a frame allocates nothing. One per avatar.
/// </summary>
public sealed class AtlasMouth : IDisposable
{
    /// <summary>How long the cross-fade between two samples lasts.</summary>
    public const double CrossFadeSeconds = 0.06;

    private readonly SKImage[] _samples;
    private readonly int[][] _byViseme;
    private readonly int[] _nextOfViseme = new int[VisemeAligner.Classes];
    private readonly RelativeRegion _region;
    private readonly double _frameSeconds;
    private readonly SKPaint _paint = new() { IsAntialias = false };
    private readonly SKPaint _fadePaint = new() { IsAntialias = false };
    private readonly SKSamplingOptions _sampling = new(SKFilterMode.Linear, SKMipmapMode.None);
    private int _current = -1;
    private int _previous = -1;
    private double _changedAt;

    public AtlasMouth(AvatarPackage package, float featherFraction = 0.15f)
    {
        ArgumentNullException.ThrowIfNull(package);
        var atlas = package.Atlas ?? throw new ArgumentException($"package {package.Id} has no mouth atlas", nameof(package));
        _region = atlas.Region;
        _frameSeconds = 1 / package.Fps;
        var alpha = Feather(atlas.CellWidth, atlas.CellHeight, featherFraction);
        _samples = new SKImage[atlas.Samples.Count];
        for (var i = 0; i < _samples.Length; i++) _samples[i] = Masked(package.AtlasSamplePng(i), alpha, atlas.CellWidth, atlas.CellHeight);
        var own = Enum.GetValues<Viseme>().Select(v => atlas.Samples.Select((s, i) => (s, i)).Where(p => p.s.Viseme == v.ToString()).Select(p => p.i).ToArray()).ToArray();
        _byViseme = new int[VisemeAligner.Classes][];
        for (var v = 0; v < _byViseme.Length; v++)
        {
            var viseme = (Viseme)v;
            // Follow the borrowing chain until a viseme with samples; Silence always has some (checked at load).
            for (var hops = 0; own[(int)viseme].Length == 0 && hops < VisemeAligner.Classes; hops++) viseme = Borrow(viseme);
            _byViseme[v] = own[(int)viseme].Length > 0 ? own[(int)viseme] : own[(int)Viseme.Silence];
        }
    }

    /// <summary>The sample drawn last (index into the atlas's samples), and the viseme it was picked for.</summary>
    public int LastSample => _current;

    public Viseme LastViseme { get; private set; }

    /// <summary>The weight of the newest sample in the last frame (1: no cross-fade in progress).</summary>
    public float LastFade { get; private set; } = 1;

    /// <summary>The shape a viseme without samples borrows (one step; the chain ends at Silence).</summary>
    public static Viseme Borrow(Viseme viseme) => viseme switch
    {
        Viseme.PP => Viseme.Silence,
        Viseme.FF or Viseme.TH => Viseme.DD,
        Viseme.DD => Viseme.NN,
        Viseme.NN => Viseme.E,
        Viseme.KK or Viseme.RR => Viseme.E,
        Viseme.CH => Viseme.SS,
        Viseme.SS => Viseme.I,
        Viseme.I => Viseme.E,
        Viseme.E => Viseme.AA,
        Viseme.U => Viseme.O,
        Viseme.O => Viseme.AA,
        _ => Viseme.Silence,
    };

    /// <summary>Draws the mouth for <paramref name="frame"/> over <paramref name="face"/> (the face box on the canvas).</summary>
    public void Draw(in AvatarFrame frame, SKCanvas canvas, SKRect face)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        var viseme = frame.Speaking ? frame.Viseme : Viseme.Silence;
        if (_current < 0 || viseme != LastViseme)
        {
            var choices = _byViseme[(int)viseme];
            var next = choices[_nextOfViseme[(int)viseme]++ % choices.Length];
            _previous = _current;
            _current = next;
            _changedAt = frame.TimeSeconds;
            LastViseme = viseme;
        }
        // The first frame of a change already shows the new shape at 1/fps ÷ fade (two thirds at 25 fps).
        var fade = (float)Math.Clamp((frame.TimeSeconds - _changedAt + _frameSeconds) / CrossFadeSeconds, 0, 1);
        var destination = new SKRect(
            face.Left + _region.X * face.Width, face.Top + _region.Y * face.Height,
            face.Left + (_region.X + _region.Width) * face.Width, face.Top + (_region.Y + _region.Height) * face.Height);
        if (fade < 1 && _previous >= 0 && _previous != _current)
        {
            canvas.DrawImage(_samples[_previous], destination, _sampling, _paint);
            _fadePaint.Color = SKColors.White.WithAlpha((byte)Math.Round(fade * 255));
            canvas.DrawImage(_samples[_current], destination, _sampling, _fadePaint);
        }
        else
        {
            fade = 1;
            canvas.DrawImage(_samples[_current], destination, _sampling, _paint);
        }
        LastFade = fade;
    }

    /// <summary>Alpha per cell pixel: 1 in the middle, smoothly 0 at every edge over a band of featherFraction of each side.</summary>
    public static float[] Feather(int width, int height, float featherFraction)
    {
        var alpha = new float[width * height];
        var fx = Math.Max(1f, featherFraction * width);
        var fy = Math.Max(1f, featherFraction * height);
        for (var y = 0; y < height; y++)
        {
            var ay = SmoothStep(Math.Min(y + 0.5f, height - (y + 0.5f)) / fy);
            for (var x = 0; x < width; x++) alpha[y * width + x] = ay * SmoothStep(Math.Min(x + 0.5f, width - (x + 0.5f)) / fx);
        }
        return alpha;
    }

    private static float SmoothStep(float t)
    {
        t = Math.Clamp(t, 0f, 1f);
        return t * t * (3f - 2f * t);
    }

    private static SKImage Masked(ReadOnlyMemory<byte> png, float[] alpha, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = SKBitmap.Decode(png.Span, info) ?? throw new InvalidOperationException("an atlas sample did not decode");
        var pixels = decoded.GetPixelSpan();
        for (var i = 0; i < alpha.Length; i++)
        {
            var a = alpha[i];
            pixels[4 * i] = (byte)(pixels[4 * i] * a + 0.5f);
            pixels[4 * i + 1] = (byte)(pixels[4 * i + 1] * a + 0.5f);
            pixels[4 * i + 2] = (byte)(pixels[4 * i + 2] * a + 0.5f);
            pixels[4 * i + 3] = (byte)(255 * a + 0.5f);
        }
        decoded.NotifyPixelsChanged();
        return SKImage.FromBitmap(decoded);
    }

    public void Dispose()
    {
        foreach (var sample in _samples) sample.Dispose();
        _paint.Dispose();
        _fadePaint.Dispose();
    }
}
