using LiveHost.Avatars.Products;
using SkiaSharp;
using Xunit;

namespace LiveHost.Avatars.Tests;

public sealed class ProductCardTests
{
    private static byte[] Image(int width, int height, SKColor color)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static ProductCardContent Card(string name = "保温杯 Thermos", string key = "p1#1") =>
        new(key, name, "199.00 CNY", ["304 stainless steel", "keeps hot 12 h"], Image(300, 200, SKColors.OrangeRed));

    /// <summary>The same frame composed by two identical rigs, the second with a card.</summary>
    private static (byte[] Without, byte[] With, AvatarRig Rig) Compose(int width, int height, string language, ProductCardFrame card)
    {
        using var plain = new AvatarRig(width, height, language);
        var rig = new AvatarRig(width, height, language);
        plain.Render(AvatarRig.Frame(0), "a caption");
        rig.Compositor.Card = card;
        rig.Render(AvatarRig.Frame(0), "a caption");
        return (plain.Composed.ToArray(), rig.Composed, rig);
    }

    private static int ChangedOutside(byte[] a, byte[] b, int width, SKRect region)
    {
        var changed = 0;
        for (var i = 0; i < a.Length; i += 4)
        {
            var x = i / 4 % width;
            var y = i / 4 / width;
            if (region.Contains(x + 0.5f, y + 0.5f)) continue;
            if (a[i] != b[i] || a[i + 1] != b[i + 1] || a[i + 2] != b[i + 2]) changed++;
        }
        return changed;
    }

    [Theory]
    [InlineData(1280, 720, "en")]
    [InlineData(1280, 720, "zh")]
    [InlineData(640, 360, "en")]
    [InlineData(720, 1280, "zh")]
    public void A_card_changes_pixels_only_in_its_region_never_the_AI_label_or_the_presenters_face(int width, int height, string language)
    {
        var (without, with, rig) = Compose(width, height, language, new ProductCardFrame(Card(), 299));
        using (rig)
        {
            var region = rig.Compositor.CardOverlay.Region;
            Assert.False(region.IntersectsWith(rig.Compositor.LabelBox), $"card {region} meets the label {rig.Compositor.LabelBox}");
            Assert.False(region.IntersectsWith(rig.Layout.HeadRegion), $"card {region} meets the face {rig.Layout.HeadRegion}");

            Assert.Equal(0, ChangedOutside(without, with, width, region));
            Assert.Equal(0, PixelProbe.ChangedFraction(without, with, width, height, rig.Compositor.LabelBox, threshold: 0));
            Assert.Equal(0, PixelProbe.ChangedFraction(without, with, width, height, rig.Layout.HeadRegion, threshold: 0));
            Assert.True(PixelProbe.ChangedFraction(without, with, width, height, rig.Compositor.CardOverlay.LastBox) > 0.5,
                "the card should cover most of its box");

            // For a human to look at, next to SnapshotTests' shots.
            var folder = Environment.GetEnvironmentVariable("LIVEHOST_AVATAR_PNG_DIR") is { Length: > 0 } dir
                ? dir
                : Path.Combine(Path.GetTempPath(), "livehost-avatar-shots");
            PixelProbe.SavePng(with, width, height, Path.Combine(folder, $"card-{language}-{width}x{height}.png"));
        }
    }

    [Fact]
    public void A_chinese_product_name_is_drawn_with_real_glyphs()
    {
        var (_, withName, rig) = Compose(1280, 720, "en", new ProductCardFrame(Card("保温杯保温杯"), null));
        var (_, noName, other) = Compose(1280, 720, "en", new ProductCardFrame(Card(" ", "p1#2"), null));
        using (rig)
        using (other)
        {
            // Missing glyphs are left out of the text blob: a name drawn with none would leave the card unchanged.
            var box = rig.Compositor.CardOverlay.LastBox;
            Assert.True(PixelProbe.ChangedFraction(withName, noName, 1280, 720, box) > 0.01, "the CJK name left no ink on the card");
        }
    }

    [Fact]
    public void The_card_is_rendered_once_while_only_the_countdown_ticks_in_the_video()
    {
        using var rig = new AvatarRig(1280, 720, "en");
        var card = Card();
        rig.Compositor.Card = new ProductCardFrame(card, 299);
        rig.Render(AvatarRig.Frame(0));
        var at299 = rig.Composed.ToArray();
        for (var i = 1; i < 25; i++) rig.Render(AvatarRig.Frame(0));
        rig.Compositor.Card = new ProductCardFrame(card, 298);
        rig.Render(AvatarRig.Frame(0));

        Assert.Equal(1, rig.Compositor.CardOverlay.Renders);
        var region = rig.Compositor.CardOverlay.Region;
        Assert.Equal(0, ChangedOutside(at299, rig.Composed, 1280, region));
        Assert.True(PixelProbe.ChangedFraction(at299, rig.Composed, 1280, 720, region, threshold: 0) > 0, "04:59 and 04:58 look the same");

        rig.Compositor.Card = new ProductCardFrame(card with { Key = "p1#2", Price = "149.00 CNY" }, 298);
        rig.Render(AvatarRig.Frame(0));
        Assert.Equal(2, rig.Compositor.CardOverlay.Renders);
    }

    [Fact]
    public void Once_the_card_is_hidden_the_frame_is_exactly_as_without_one()
    {
        using var a = new AvatarRig(640, 360, "en");
        using var b = new AvatarRig(640, 360, "en");
        a.Render(AvatarRig.Frame(0), "hello");
        a.Render(AvatarRig.Frame(1), "hello");
        b.Compositor.Card = new ProductCardFrame(Card(), null);
        b.Render(AvatarRig.Frame(0), "hello");
        b.Compositor.Card = null;
        b.Render(AvatarRig.Frame(1), "hello");

        Assert.Equal(a.Composed, b.Composed);
    }
}
