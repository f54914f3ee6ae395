using System.Runtime.InteropServices;
using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Products;
using LiveHost.Avatars.Realistic.Tests.Packages;
using LiveHost.Speech;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.Tests;

/// <summary>
/// A realistic package declares its crop; the compositor lays the caption, the AI label and the product card out
/// around the face boxes it declares. Rendered at 1280x720 from 640x360 packages whose face moves a little from frame
/// to frame, with a three-line caption and a product card with its countdown on screen.
/// </summary>
public sealed class FramingTests : IDisposable
{
    private const int Width = 1280;
    private const int Height = 720;
    private const string LongCaption =
        "Welcome back to the studio, everyone: today we look at the new thermos in every colour, with the price, the " +
        "warranty and the delivery times, and then we answer all of your questions one by one until the end of the show.";

    private readonly TestPackages _packages = new();

    public static TheoryData<string, int, int, int, int> Crops => new()
    {
        // crop, face box on the package's first frame (x, y, w, h) in 640x360 package pixels
        { "head", 220, 30, 200, 230 },
        { "waist-up", 270, 40, 100, 120 },
        { "full-body", 150, 20, 60, 70 },
        { "full-body", 440, 20, 60, 70 },
    };

    [Theory]
    [MemberData(nameof(Crops))]
    public void Caption_label_and_product_card_never_cover_the_declared_face_on_any_frame(string crop, int x, int y, int w, int h)
    {
        var package = Load(crop, new FaceBox(x, y, w, h));
        using var avatar = new RealisticAvatar(package);
        using var alone = new RealisticAvatar(package);
        using var compositor = new FrameCompositor(avatar, Width, Height, "en");
        compositor.Card = Card();
        var composed = new byte[compositor.FrameBytes];
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Bgra8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);

        for (var i = 0; i < 10; i++)
        {
            var frame = new AvatarFrame(i, i / 25.0, Viseme.AA, 0.5f, true);
            compositor.Compose(frame, LongCaption, 0f, composed);
            alone.Render(frame, canvas, Width, Height);
            var face = avatar.LastFaceRect;

            Assert.False(compositor.LastCaptionBox.IsEmpty);
            Assert.False(compositor.CardOverlay.LastBox.IsEmpty);
            Assert.False(compositor.LastCaptionBox.IntersectsWith(face), $"{crop}: caption {compositor.LastCaptionBox} covers the face {face}");
            Assert.False(compositor.LabelBox.IntersectsWith(face), $"{crop}: label {compositor.LabelBox} covers the face {face}");
            Assert.False(compositor.CardOverlay.LastBox.IntersectsWith(face), $"{crop}: card {compositor.CardOverlay.LastBox} covers the face {face}");
            // And in pixels: inside the face box the composed frame is the presenter alone.
            Assert.Equal(0, ChangedPixels(composed, bitmap, face));
        }
    }

    [Fact]
    public void Without_framing_the_same_head_crop_would_be_covered_by_the_bottom_caption()
    {
        // The control for the test above: the usual layout (no framing) puts a three-line caption over this chin.
        var package = Load("head", new FaceBox(220, 30, 200, 230));
        using var avatar = new RealisticAvatar(package);
        using var compositor = new FrameCompositor(new UnframedAvatar(avatar), Width, Height, "en");
        var composed = new byte[compositor.FrameBytes];

        compositor.Compose(new AvatarFrame(5, 5 / 25.0, Viseme.AA, 0.5f, true), LongCaption, 0f, composed);

        Assert.Null(compositor.Framing);
        Assert.Equal(3, compositor.LastCaptionLines);
        Assert.True(compositor.LastCaptionBox.IntersectsWith(avatar.LastFaceRect));
    }

    [Fact]
    public void A_head_crop_puts_the_caption_in_the_room_below_the_face()
    {
        var package = Load("head", new FaceBox(220, 30, 200, 230));
        using var avatar = new RealisticAvatar(package);
        using var compositor = new FrameCompositor(avatar, Width, Height, "en");
        var composed = new byte[compositor.FrameBytes];

        compositor.Compose(new AvatarFrame(0, 0, Viseme.AA, 0.5f, true), LongCaption, 0f, composed);

        Assert.Equal(PresenterCrop.Head, compositor.Framing!.Value.Crop);
        Assert.True(compositor.LastCaptionBox.Top >= compositor.Framing.Value.Face.Bottom, $"caption {compositor.LastCaptionBox} in {compositor.Caption.Area}, label {compositor.LabelBox}, face {compositor.Framing.Value.Face}");
        Assert.InRange(compositor.LastCaptionLines, 1, 2);
    }

    [Theory]
    [InlineData(150, true)]
    [InlineData(440, false)]
    public void A_full_body_figure_pushes_the_product_card_to_the_free_side(int faceX, bool cardOnTheRight)
    {
        var package = Load("full-body", new FaceBox(faceX, 20, 60, 70));
        using var avatar = new RealisticAvatar(package);
        using var compositor = new FrameCompositor(avatar, Width, Height, "en") { Card = Card() };
        var composed = new byte[compositor.FrameBytes];

        compositor.Compose(new AvatarFrame(0, 0, Viseme.Silence, 0, false), null, composed);

        var card = compositor.CardOverlay.LastBox;
        var figure = compositor.Framing!.Value.Figure;
        Assert.Equal(PresenterCrop.FullBody, compositor.Framing.Value.Crop);
        if (cardOnTheRight) Assert.True(card.Left >= figure.Right, $"card {card}, figure {figure}");
        else Assert.True(card.Right <= figure.Left, $"card {card}, figure {figure}");
        Assert.False(card.IntersectsWith(compositor.LabelBox));
    }

    [Fact]
    public void A_package_with_an_unknown_crop_is_refused_naming_the_crops()
    {
        var path = _packages.Write("cropped", edit: m => m with { Crop = "knees-up" });

        var error = Assert.Throws<AvatarPackageRejectedException>(() =>
            AvatarPackageLoader.Load(path, _packages.Verifier(), new FakeTimeProvider(TestPackages.Now)));

        Assert.Equal(PackageRejection.InvalidManifest, error.Reason);
        Assert.Contains("crop 'knees-up' is not one of head, waist-up, full-body", error.Detail, StringComparison.Ordinal);
    }

    private AvatarPackage Load(string crop, FaceBox first)
    {
        // The face drifts 4 px right and 2 px down a frame: the layout must hold for every frame of the loop.
        var path = _packages.Write(crop + first.X, frames: 6, width: 640, height: 360, edit: m => m with
        {
            Crop = crop,
            Faces = m.Faces! with { Boxes = Enumerable.Range(0, 6).Select(i => first with { X = first.X + 4 * i, Y = first.Y + 2 * i }).ToArray() },
        });
        return AvatarPackageLoader.Load(path, _packages.Verifier(), new FakeTimeProvider(TestPackages.Now));
    }

    private static ProductCardFrame Card() =>
        new(new ProductCardContent("mug", "Thermos mug, 500 ml, keeps drinks hot", "¥199", ["12 h hot", "24 h cold", "Dishwasher safe"], null), 299);

    private static int ChangedPixels(byte[] composed, SKBitmap alone, SKRect box)
    {
        var pixels = MemoryMarshal.Cast<byte, uint>(composed);
        var reference = MemoryMarshal.Cast<byte, uint>(alone.GetPixelSpan());
        var changed = 0;
        for (var y = Math.Max(0, (int)box.Top); y < Math.Min(Height, (int)MathF.Ceiling(box.Bottom)); y++)
        {
            for (var x = Math.Max(0, (int)box.Left); x < Math.Min(Width, (int)MathF.Ceiling(box.Right)); x++)
            {
                if (pixels[y * Width + x] != reference[y * Width + x]) changed++;
            }
        }
        return changed;
    }

    /// <summary>The same presenter, hiding its framing (as every avatar did before packages declared a crop).</summary>
    private sealed class UnframedAvatar(IAvatar inner) : IAvatar
    {
        public string Id => inner.Id;

        public void Render(in AvatarFrame frame, SKCanvas canvas, int width, int height) => inner.Render(frame, canvas, width, height);

        public void Dispose()
        {
        }
    }

    public void Dispose() => _packages.Dispose();
}
