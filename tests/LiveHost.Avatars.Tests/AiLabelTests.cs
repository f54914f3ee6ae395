using LiveHost.Speech;
using SkiaSharp;
using Xunit;

namespace LiveHost.Avatars.Tests;

public sealed class AiLabelTests
{
    [Theory]
    [InlineData("zh", "AI生成")]
    [InlineData("zh-CN", "AI生成")]
    [InlineData("ZH", "AI生成")]
    [InlineData("en", "AI-generated")]
    [InlineData("fr", "AI-generated")]
    [InlineData("zha", "AI-generated")]
    [InlineData("", "AI-generated")]
    [InlineData(null, "AI-generated")]
    public void Label_text_is_AI生成_for_Chinese_rooms_and_AI_generated_otherwise(string? language, string expected)
    {
        Assert.Equal(expected, AiLabel.For(language));
    }

    [Theory]
    [InlineData("zh", "AI生成")]
    [InlineData("en", "AI-generated")]
    public void Compositor_exposes_the_label_it_draws(string language, string expected)
    {
        using var avatar = new CartoonPresenter();
        using var compositor = new FrameCompositor(avatar, 640, 360, language);
        Assert.Equal(expected, compositor.Label);
    }

    public static TheoryData<string, int, int> Rooms => new()
    {
        { "en", 640, 360 }, { "zh", 640, 360 }, { "en", 1280, 720 }, { "zh", 1280, 720 },
    };

    [Theory]
    [MemberData(nameof(Rooms))]
    public void Label_is_drawn_on_every_frame_with_glyphs_at_least_5_percent_of_the_shorter_side(string language, int width, int height)
    {
        using var rig = new AvatarRig(width, height, language);
        var shorter = Math.Min(width, height);
        var box = rig.Compositor.LabelBox;
        Assert.True(box.Left >= 0 && box.Top >= 0 && box.Right <= width && box.Bottom <= height, $"label box {box} is outside the frame");
        Assert.True(box.MidY < height / 3f, "the label sits in a top corner");
        Assert.True(box.Left > width / 2f || box.Right < width / 2f, "the label sits in a corner, not over the middle");

        // Measured from the font's own glyph outlines.
        Assert.True(rig.Compositor.LabelCapHeight >= 0.05f * shorter, $"cap height {rig.Compositor.LabelCapHeight} < 5% of {shorter}");
        Assert.True(rig.Compositor.LabelGlyphBounds.Height >= 0.05f * shorter);

        // And from the pixels: text is the near-white ink inside the dark pill (the rim is left out).
        var rim = Math.Max(1f, shorter * 0.003f) + 2f;
        var inside = new SKRect(box.Left + rim + box.Height / 4, box.Top + rim, box.Right - rim - box.Height / 4, box.Bottom - rim);
        static bool IsInk(byte r, byte g, byte b) => r > 200 && g > 200 && b > 200;

        var visemes = new[] { Viseme.Silence, Viseme.AA, Viseme.O, Viseme.PP, Viseme.E, Viseme.U, Viseme.SS };
        var checkedFrames = 0;
        for (var i = 0; i < 120; i++)
        {
            var speaking = i is >= 20 and < 90;
            var frame = AvatarRig.Frame(i, speaking ? visemes[i % visemes.Length] : Viseme.Silence, speaking ? 0.5f : 0f, speaking);
            rig.Render(frame, i % 3 == 0 ? null : "A caption that is on screen while the label must stay visible");
            if (i % 7 != 0) continue;
            checkedFrames++;

            var changed = PixelProbe.ChangedFraction(rig.Composed, rig.AvatarOnly, width, height, box);
            Assert.True(changed > 0.5, $"frame {i}: only {changed:P0} of the label box differs from the avatar alone");
            var (first, last) = PixelProbe.RowExtent(rig.Composed, width, height, inside, IsInk);
            Assert.True(first >= 0, $"frame {i}: no label ink");
            var inkHeight = last - first + 1;
            Assert.True(inkHeight >= 0.05 * shorter, $"frame {i}: label ink is {inkHeight}px tall, under 5% of {shorter}");
        }
        Assert.Equal(18, checkedFrames);
    }

    [Fact]
    public void Chinese_label_glyphs_are_real_glyphs_not_boxes()
    {
        using var fallback = FontFallback.CreateCjkFirst(bold: true);
        using var font = new SKFont(fallback.TypefaceFor('生'), 40);
        Assert.True(font.ContainsGlyphs("AI生成"));
        Assert.DoesNotContain((ushort)0, font.GetGlyphs("AI生成"));
    }
}
