using System.Runtime.InteropServices;
using LiveHost.Speech;
using SkiaSharp;
using Xunit;
using Xunit.Abstractions;

namespace LiveHost.Avatars.Tests;

public sealed class AffineBilinearBlendTests(ITestOutputHelper output)
{
    private const int Width = 320, Height = 240;

    [Fact]
    public void Over_is_source_plus_target_times_the_rest_of_alpha_rounded_for_every_alpha_and_level()
    {
        for (uint alpha = 0; alpha < 256; alpha++)
        {
            for (uint level = 0; level < 256; level++)
            {
                var source = (alpha << 24) | (alpha / 2 << 16) | (alpha / 3 << 8) | alpha;
                var target = (level << 24) | (level << 16) | (255 - level << 8) | (level / 2);
                var expected = 0u;
                for (var shift = 0; shift < 32; shift += 8)
                {
                    var rest = (uint)Math.Round((target >> shift & 0xFF) * (255 - alpha) / 255.0, MidpointRounding.AwayFromZero);
                    expected |= ((source >> shift & 0xFF) + rest) << shift;
                }
                Assert.Equal(expected, AffineBilinearBlend.Over(source, target));
            }
        }
    }

    [Fact]
    public void A_whole_pixel_shift_copies_the_picture_exactly_and_blends_its_edges_over_the_target()
    {
        var (picture, w, h) = Picture();
        var target = Background();
        var expected = (uint[])target.Clone();
        Assert.True(new AffineBilinearBlend(picture, w, h).TryDraw(target, Width, new SKRectI(0, 0, Width, Height), SKMatrix.CreateTranslation(37, 21)));

        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                ref var pixel = ref expected[(y + 21) * Width + x + 37];
                var p = picture[y * w + x];
                if (p != 0) pixel = AffineBilinearBlend.Over(p, pixel);
            }
        }
        Assert.Equal(expected, target);
    }

    [Theory]
    [InlineData(2.7f, 40.3f, 30.6f, 1f)]
    [InlineData(-3.4f, 55.75f, 12.2f, 1f)]
    [InlineData(0.4f, 20.5f, 20.5f, 0.72f)]
    [InlineData(15f, 90.1f, 10.9f, 1.3f)]
    public void A_posed_picture_matches_Skias_linear_image_draw_to_a_few_levels(float degrees, float dx, float dy, float scale)
    {
        var (picture, w, h) = Picture();
        var matrix = SKMatrix.CreateTranslation(dx, dy).PreConcat(SKMatrix.CreateRotationDegrees(degrees, w / 2f, h / 2f)).PreConcat(SKMatrix.CreateScale(scale, scale));
        var ours = Background();
        Assert.True(new AffineBilinearBlend(picture, w, h).TryDraw(ours, Width, new SKRectI(0, 0, Width, Height), matrix));
        var skias = Background();
        DrawWithSkia(picture, w, h, skias, matrix);

        var (maxDiff, differing, touched) = Compare(ours, skias, Background());
        output.WriteLine($"max channel difference {maxDiff}, pixels differing by more than 1: {differing} of {touched} drawn");
        Assert.True(touched > 2000, $"only {touched} pixels drawn");
        Assert.True(maxDiff <= 4, $"a channel differs from Skia's by {maxDiff}");
        Assert.True(differing <= touched / 50, $"{differing} of {touched} pixels differ from Skia's by more than one level");
    }

    [Fact]
    public void Pixels_outside_the_clip_are_left_alone()
    {
        var (picture, w, h) = Picture();
        var target = Background();
        var before = (uint[])target.Clone();
        var clip = new SKRectI(60, 50, 120, 90);
        Assert.True(new AffineBilinearBlend(picture, w, h).TryDraw(target, Width, clip, SKMatrix.CreateRotationDegrees(3).PostConcat(SKMatrix.CreateTranslation(40.5f, 30.25f))));

        var changedInside = 0;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var inside = clip.Contains(x, y);
                if (!inside) Assert.Equal(before[y * Width + x], target[y * Width + x]);
                else if (before[y * Width + x] != target[y * Width + x]) changedInside++;
            }
        }
        Assert.True(changedInside > 100);
    }

    [Fact]
    public void A_matrix_with_perspective_is_refused_and_draws_nothing()
    {
        var (picture, w, h) = Picture();
        var target = Background();
        var before = (uint[])target.Clone();
        var perspective = SKMatrix.CreateIdentity();
        perspective.Persp0 = 0.001f;
        Assert.False(new AffineBilinearBlend(picture, w, h).TryDraw(target, Width, new SKRectI(0, 0, Width, Height), perspective));
        Assert.Equal(before, target);
    }

    [Fact]
    public void The_presenter_drawn_into_a_room_frame_matches_the_same_frame_drawn_by_Skia_alone()
    {
        // A room's frame (a surface over pixels: the fast path) against a bitmap canvas (no surface: Skia draws the layers).
        const int w = 1280, h = 720;
        var info = new SKImageInfo(w, h, SKColorType.Bgra8888, SKAlphaType.Premul);
        using var fast = new CartoonPresenter();
        using var skia = new CartoonPresenter();
        using var surface = SKSurface.Create(info);
        using var bitmap = new SKBitmap(info);
        using var canvas = new SKCanvas(bitmap);
        var worst = 0;
        for (var i = 0; i < 40; i += 3)
        {
            var frame = AvatarRig.Frame(i, (Viseme)(1 + i % 14), 0.6f, true);
            fast.Render(frame, surface.Canvas, w, h);
            skia.Render(frame, canvas, w, h);
            using var pixmap = surface.PeekPixels();
            var ours = MemoryMarshal.Cast<byte, uint>(pixmap.GetPixelSpan()).ToArray();
            var skias = MemoryMarshal.Cast<byte, uint>(bitmap.GetPixelSpan()).ToArray();
            var (maxDiff, differing, _) = Compare(ours, skias, null);
            output.WriteLine($"frame {i}: max channel difference {maxDiff}, {differing} pixels differ by more than 1");
            worst = Math.Max(worst, maxDiff);
            Assert.True(differing < 2000, $"frame {i}: {differing} pixels differ by more than one level");
            Assert.NotEqual(0u, ours[(h / 3) * w + w / 2]);
        }
        Assert.True(worst <= 4, $"a channel differs from Skia's by {worst}");
    }

    // A 120x90 premultiplied picture with soft (anti-aliased) edges, transparent around them, and a translucent part.
    private static (uint[] Pixels, int Width, int Height) Picture()
    {
        const int w = 120, h = 90;
        var info = new SKImageInfo(w, h, SKColorType.Bgra8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        surface.Canvas.Clear(SKColors.Transparent);
        using var paint = new SKPaint { IsAntialias = true };
        using var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(w, h), [SKColors.OrangeRed, SKColors.SteelBlue], SKShaderTileMode.Clamp);
        paint.Shader = shader;
        surface.Canvas.DrawOval(60, 45, 52, 38, paint);
        paint.Shader = null;
        paint.Color = new SKColor(20, 200, 40, 140);
        surface.Canvas.DrawCircle(30, 30, 18, paint);
        paint.Color = SKColors.Black;
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = 3;
        surface.Canvas.DrawLine(20, 70, 100, 20, paint);
        using var pixmap = surface.PeekPixels();
        return (MemoryMarshal.Cast<byte, uint>(pixmap.GetPixelSpan()).ToArray(), w, h);
    }

    // An opaque, varied target: a checker of two colours.
    private static uint[] Background()
    {
        var pixels = new uint[Width * Height];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++) pixels[y * Width + x] = ((x / 8 + y / 8) % 2 == 0) ? 0xFFE0_D0C0u : 0xFF30_5070u;
        }
        return pixels;
    }

    private static void DrawWithSkia(uint[] picture, int w, int h, uint[] target, SKMatrix matrix)
    {
        var info = new SKImageInfo(w, h, SKColorType.Bgra8888, SKAlphaType.Premul);
        using var image = SKImage.FromPixelCopy(info, MemoryMarshal.AsBytes(picture.AsSpan()));
        var handle = GCHandle.Alloc(target, GCHandleType.Pinned);
        try
        {
            using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Bgra8888, SKAlphaType.Premul), handle.AddrOfPinnedObject(), Width * 4);
            // The Skia path: a canvas whose surface is not ours to reach is the same as DrawImage with linear sampling.
            surface.Canvas.SetMatrix(matrix);
            surface.Canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        }
        finally
        {
            handle.Free();
        }
    }

    // Largest channel difference, pixels differing by more than one level, and pixels either drawing changed from the background.
    private static (int MaxDiff, int Differing, int Touched) Compare(uint[] a, uint[] b, uint[]? background)
    {
        int max = 0, differing = 0, touched = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (background is not null && (a[i] != background[i] || b[i] != background[i])) touched++;
            var worst = 0;
            for (var shift = 0; shift < 32; shift += 8) worst = Math.Max(worst, Math.Abs((int)(a[i] >> shift & 0xFF) - (int)(b[i] >> shift & 0xFF)));
            max = Math.Max(max, worst);
            if (worst > 1) differing++;
        }
        return (max, differing, touched);
    }
}
