using SkiaSharp;
using Xunit;

namespace LiveHost.Avatars.Tests;

public sealed class CartoonLookTests
{
    private const int Width = 640;
    private const int Height = 360;

    private static byte[] Draw(CartoonPresenter avatar, long frameIndex = 0)
    {
        using var compositor = new FrameCompositor(avatar, Width, Height, "en");
        var pixels = new byte[Width * Height * 4];
        compositor.Compose(AvatarRig.Frame(frameIndex), null, pixels);
        return pixels;
    }

    private static Func<byte, byte, byte, bool> Near(SKColor color, int tolerance = 18) =>
        (r, g, b) => Math.Abs(r - color.Red) < tolerance && Math.Abs(g - color.Green) < tolerance && Math.Abs(b - color.Blue) < tolerance;

    [Fact]
    public void The_built_in_ids_name_three_looks_and_each_presenter_reports_its_own_id()
    {
        Assert.Equal(["cartoon", "cartoon-b", "cartoon-fullbody"], CartoonLook.ById.Keys.Order(StringComparer.Ordinal));
        // The ids the engine recognises without drawing (LiveHost.Avatars.Abstractions) are exactly the looks drawn.
        Assert.Equal(CartoonLook.ById.Keys.Order(StringComparer.Ordinal), CartoonLookIds.All.Order(StringComparer.Ordinal));
        foreach (var (id, look) in CartoonLook.ById)
        {
            using var avatar = new CartoonPresenter(look);
            Assert.Equal(id, avatar.Id);
        }
        Assert.False(CartoonLook.TryGet("cartoon-z", out _));
        Assert.False(CartoonLook.TryGet(null, out _));
    }

    [Fact]
    public void The_second_presenter_wears_its_own_blazer_and_skin_where_the_first_wears_hers()
    {
        using var first = new CartoonPresenter(CartoonLook.Classic);
        using var second = new CartoonPresenter(CartoonLook.Second);
        var a = Draw(first);
        var b = Draw(second);
        var layout = CartoonLayout.For(Width, Height);
        // The chest, between the lapels and the arm seams.
        var chest = layout.ToPixels(new SKRect(-260, -330, -130, -120));
        var area = chest.Width * chest.Height;
        Assert.True(PixelProbe.Count(a, Width, Height, chest, Near(CartoonLook.Classic.Jacket, 30)) > 0.3 * area);
        Assert.Equal(0, PixelProbe.Count(a, Width, Height, chest, Near(CartoonLook.Second.Jacket, 30)));
        Assert.True(PixelProbe.Count(b, Width, Height, chest, Near(CartoonLook.Second.Jacket, 30)) > 0.3 * area);
        Assert.Equal(0, PixelProbe.Count(b, Width, Height, chest, Near(CartoonLook.Classic.Jacket, 30)));
        // And a different face: skin of its own colour on the cheeks.
        var cheeks = layout.ToPixels(new SKRect(-120, -600, -60, -560));
        Assert.True(PixelProbe.Count(b, Width, Height, cheeks, Near(CartoonLook.Second.Skin, 26)) > 0.3 * cheeks.Width * cheeks.Height);
        Assert.Equal(0, PixelProbe.Count(b, Width, Height, cheeks, Near(CartoonLook.Classic.Skin, 10)));
    }

    [Fact]
    public void Framed_full_body_the_presenter_stands_on_the_floor_with_shoes_and_trousers_in_view()
    {
        using var standing = new CartoonPresenter(CartoonLook.FullBody);
        var pixels = Draw(standing);
        var layout = CartoonLayout.For(Width, Height, CartoonFraming.FullBody);
        Assert.True(new SKRect(0, 0, Width, Height).Contains(layout.HeadRegion), $"head {layout.HeadRegion} outside the frame");
        var shoes = layout.ToPixels(new SKRect(-190, CartoonFigure.FloorY - 70, -60, CartoonFigure.FloorY - 20));
        Assert.True(shoes.Bottom <= Height, $"shoes {shoes} below the frame");
        Assert.True(PixelProbe.Count(pixels, Width, Height, shoes, Near(CartoonPalette.Lash, 20)) > 0.4 * shoes.Width * shoes.Height);
        var shin = layout.ToPixels(new SKRect(-160, 400, -60, 600));
        Assert.True(PixelProbe.Count(pixels, Width, Height, shin, Near(CartoonLook.FullBody.Trousers, 20)) > 0.8 * shin.Width * shin.Height);
        // Framed waist-up the same point of the frame shows the desk, not legs.
        using var seated = new CartoonPresenter(CartoonLook.Classic);
        Assert.Equal(0, PixelProbe.Count(Draw(seated), Width, Height, shin, Near(CartoonLook.FullBody.Trousers, 10)));
    }

    [Fact]
    public void A_wave_raises_the_hand_above_the_shoulder_and_returns_it_to_rest()
    {
        using var avatar = new CartoonPresenter(CartoonLook.FullBody);
        var layout = CartoonLayout.For(Width, Height, CartoonFraming.FullBody);
        var skin = Near(CartoonLook.FullBody.Skin, 12);
        var before = Draw(avatar, 0);
        Assert.Equal(0, PixelProbe.Count(before, Width, Height, layout.RaisedHandRegion, skin));

        Assert.True(avatar.TryPlay(CartoonGestures.Wave));
        using var compositor = new FrameCompositor(avatar, Width, Height, "en");
        var pixels = new byte[Width * Height * 4];
        var raisedAt = -1;
        for (var frame = 1; frame <= 25 * 4; frame++)
        {
            compositor.Compose(AvatarRig.Frame(frame), null, pixels);
            var raised = PixelProbe.Count(pixels, Width, Height, layout.RaisedHandRegion, skin) > 50;
            if (raised && raisedAt < 0) raisedAt = frame;
            if (raisedAt > 0 && !raised && avatar.LastArms == CartoonGestures.Rest) break;
        }
        Assert.InRange(raisedAt, 2, 25);
        Assert.Equal(CartoonGestures.Rest, avatar.LastArms);
        Assert.Equal(0, PixelProbe.Count(pixels, Width, Height, layout.RaisedHandRegion, skin));
    }

    [Fact]
    public void Only_the_full_body_look_offers_gestures_and_unknown_ones_are_refused()
    {
        using var seated = new CartoonPresenter(CartoonLook.Classic);
        using var standing = new CartoonPresenter(CartoonLook.FullBody);
        Assert.Empty(seated.Actions);
        Assert.False(seated.TryPlay(CartoonGestures.Wave));
        Assert.Equal(["wave", "point", "welcome"], standing.Actions);
        Assert.False(standing.TryPlay("moonwalk"));
        Draw(standing, 5);
        Assert.Equal(CartoonGestures.Rest, standing.LastArms);
    }
}
