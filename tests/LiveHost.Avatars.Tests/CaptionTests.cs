using System.Text;
using LiveHost.Speech;
using SkiaSharp;
using Xunit;

namespace LiveHost.Avatars.Tests;

public sealed class CaptionTests
{
    private static bool IsWhiteInk(byte r, byte g, byte b) => r > 215 && g > 215 && b > 215;

    [Theory]
    [InlineData("en")]
    [InlineData("zh")]
    public void Chinese_characters_are_drawn_with_a_typeface_that_has_their_glyphs(string language)
    {
        using var fallback = FontFallback.Create(language, bold: false);
        var typeface = fallback.TypefaceFor('你');
        Assert.NotNull(typeface);
        Assert.Same(typeface, fallback.TypefaceFor('好'));
        using var font = new SKFont(typeface, 32);
        Assert.True(font.ContainsGlyphs("你好"));
        Assert.DoesNotContain((ushort)0, font.GetGlyphs("你好"));

        // Latin stays in a typeface that has Latin glyphs, in the same caption.
        using var shaper = new TextShaper(fallback, 32);
        var shaped = ShapedText.Shape("Hello 你好, world", shaper);
        Assert.Equal("Hello 你好, world".Length, shaped.Count);
        Assert.DoesNotContain((ushort)0, shaped.Glyphs.Take(shaped.Count));
    }

    [Fact]
    public void English_room_uses_a_latin_primary_and_falls_back_per_run_for_hanzi()
    {
        using var fallback = FontFallback.Create("en", bold: false);
        using var shaper = new TextShaper(fallback, 32);
        var shaped = ShapedText.Shape("Hi 你好", shaper);
        var latinFace = shaped.Faces[0];
        var hanFace = shaped.Faces[3];
        Assert.Equal(0, latinFace);
        Assert.NotEqual(latinFace, hanFace);
        Assert.Equal(hanFace, shaped.Faces[4]);
        using var blob = shaper.BuildBlob(shaped, 0, shaped.Count);
        Assert.NotNull(blob);
    }

    [Theory]
    [InlineData("en", "你好")]
    [InlineData("zh", "你好，世界")]
    [InlineData("en", "Hello 你好 world")]
    public void Caption_draws_ink_inside_its_box(string language, string caption)
    {
        using var rig = new AvatarRig(640, 360, language);
        rig.Render(AvatarRig.Frame(0), caption);
        var box = rig.Compositor.LastCaptionBox;
        Assert.False(box.IsEmpty);
        Assert.Equal(1, rig.Compositor.LastCaptionLines);

        var ink = PixelProbe.Count(rig.Composed, 640, 360, box, IsWhiteInk);
        var before = PixelProbe.Count(rig.AvatarOnly, 640, 360, box, IsWhiteInk);
        Assert.True(ink > 80 + before, $"caption box has {ink} ink pixels (avatar alone: {before})");
    }

    [Fact]
    public void Characters_no_font_covers_are_left_out_instead_of_drawn_as_boxes()
    {
        using var fallback = FontFallback.Create("en", bold: false);
        using var shaper = new TextShaper(fallback, 20);
        // U+E000 is private use; U+0378 is unassigned; U+0007 is a control character.
        var shaped = ShapedText.Shape("a\uE000b\u0378c\u0007d", shaper);
        Assert.Equal(4, shaped.Count);
        Assert.DoesNotContain((ushort)0, shaped.Glyphs.Take(shaped.Count));
    }

    public static TheoryData<string, string> LongCaptions()
    {
        var latin = new StringBuilder();
        while (latin.Length < 2000) latin.Append("This sentence keeps going so the caption is far too long. ");
        var chinese = new StringBuilder();
        while (chinese.Length < 2000) chinese.Append("这是一段非常长的字幕，用来检查换行和分页是否正常。");
        var word = new string('W', 2000);
        return new() { { "en", latin.ToString(0, 2000) }, { "zh", chinese.ToString(0, 2000) }, { "en", word } };
    }

    [Theory]
    [MemberData(nameof(LongCaptions))]
    public void Caption_of_2000_characters_stays_inside_the_frame_and_keeps_the_label(string language, string caption)
    {
        const int width = 1280, height = 720;
        using var rig = new AvatarRig(width, height, language);
        var frameRect = new SKRect(0, 0, width, height);
        var pages = new HashSet<int>();

        foreach (var progress in new[] { 0f, 0.25f, 0.5f, 0.99f, 1f, float.NaN })
        {
            rig.Render(AvatarRig.Frame(1, Viseme.AA, 0.5f, true), caption, progress);
            var box = rig.Compositor.LastCaptionBox;
            Assert.False(box.IsEmpty);
            Assert.True(frameRect.Contains(box), $"caption box {box} leaves the frame");
            Assert.InRange(rig.Compositor.LastCaptionLines, 1, CaptionOverlay.MaxLines);
            Assert.True(box.Height < 0.3f * height, $"caption box is {box.Height}px tall");
            Assert.False(box.IntersectsWith(rig.Compositor.LabelBox), "caption covers the label");
            pages.Add(rig.Compositor.Caption.LastPage);

            // Ink stays within the box horizontally: the columns just outside it are untouched.
            var left = new SKRect(0, box.Top, Math.Max(0, box.Left - 2), box.Bottom);
            Assert.Equal(0, PixelProbe.ChangedFraction(rig.Composed, rig.AvatarOnly, width, height, left, threshold: 2));
        }

        Assert.True(rig.Compositor.Caption.PageCount > 3);
        Assert.True(pages.Count >= 3, "progress should page through the caption");
    }

    [Fact]
    public void Without_progress_the_caption_pages_along_with_speaking_time()
    {
        var caption = string.Concat(Enumerable.Repeat("Words keep coming in this long line of speech. ", 20));
        using var rig = new AvatarRig(640, 360, "en");
        rig.Render(AvatarRig.Frame(0, Viseme.AA, 0.5f, true), caption);
        Assert.Equal(0, rig.Compositor.Caption.LastPage);
        for (var i = 1; i < 25 * 30; i++) rig.Compositor.Compose(AvatarRig.Frame(i, Viseme.AA, 0.5f, true), caption, rig.Composed);
        Assert.True(rig.Compositor.Caption.LastPage > 0);
        Assert.True(rig.Compositor.Caption.LastPage < rig.Compositor.Caption.PageCount);
    }

    [Fact]
    public void Wrapped_lines_fit_the_width_and_break_at_spaces_or_between_hanzi()
    {
        using var fallback = FontFallback.Create("en", bold: false);
        using var shaper = new TextShaper(fallback, 24);
        var random = new Random(1);
        var pieces = new[] { "hello", "world", "你好", "世界", "，", "。", "supercalifragilistic", "a", "I'm", "测试" };
        for (var trial = 0; trial < 300; trial++)
        {
            var text = new StringBuilder();
            var count = random.Next(1, 40);
            for (var k = 0; k < count; k++) text.Append(pieces[random.Next(pieces.Length)]).Append(random.Next(3) == 0 ? "" : " ");
            var shaped = ShapedText.Shape(text.ToString(), shaper);
            var maxWidth = 60f + random.Next(400);
            var lines = CaptionLayout.Wrap(shaped, maxWidth);
            var covered = 0;
            foreach (var (start, end) in lines)
            {
                Assert.True(end > start);
                Assert.True(shaped.Width(start, end) <= maxWidth || end - start == 1, $"line over width in '{text}'");
                Assert.NotEqual(' ', (char)shaped.Codepoints[start]);
                // Closing punctuation never starts a line unless the text itself put a space before it.
                if (start > 0 && shaped.Codepoints[start - 1] != ' ')
                {
                    Assert.True(shaped.Codepoints[start] != '，', $"line starts with '，' in '{text}' at {maxWidth}");
                }
                covered += end - start;
            }
            var nonSpace = shaped.Codepoints.Take(shaped.Count).Count(c => c != ' ');
            Assert.Equal(nonSpace, lines.Sum(l => shaped.Codepoints.Skip(l.Start).Take(l.End - l.Start).Count(c => c != ' ')));
        }
    }
}
