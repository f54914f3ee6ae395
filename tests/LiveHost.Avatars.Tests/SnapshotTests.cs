using LiveHost.Speech;
using Xunit;

namespace LiveHost.Avatars.Tests;

/// <summary>
/// Renders the presenter as a viewer would see it and saves PNGs for a human to look at. They go to a temp folder,
/// or to LIVEHOST_AVATAR_PNG_DIR when set (the team keeps reference shots in .helpers/).
/// </summary>
public sealed class SnapshotTests
{
    public static TheoryData<string, string, int, int> Shots => new()
    {
        { "en", "Hello everyone, and welcome back to the show! Today we have some great products to look at together.", 1280, 720 },
        { "zh", "大家好，欢迎回到直播间！今天我们为大家准备了很多好东西，一起来看看吧。", 1280, 720 },
    };

    [Theory]
    [MemberData(nameof(Shots))]
    public void Speaking_frame_with_caption_renders_and_saves_as_png(string language, string caption, int width, int height)
    {
        using var rig = new AvatarRig(width, height, language);
        // Speak an "ah" for a third of a second so the mouth is open mid-sentence.
        for (var i = 0; i < 40; i++)
        {
            var viseme = i < 32 ? (i % 4 < 2 ? Viseme.E : Viseme.DD) : Viseme.AA;
            rig.Render(AvatarRig.Frame(i, viseme, 0.6f, speaking: true), caption);
        }

        var folder = Environment.GetEnvironmentVariable("LIVEHOST_AVATAR_PNG_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Path.GetTempPath(), "livehost-avatar-shots");
        var path = Path.Combine(folder, $"avatar-{language}.png");
        PixelProbe.SavePng(rig.Composed, width, height, path);

        Assert.True(new FileInfo(path).Length > 10_000, "the PNG should hold a real picture");
        Assert.True(rig.Compositor.LastCaptionLines is >= 1 and <= CaptionOverlay.MaxLines);
    }

    [Fact]
    public void Idle_frame_saves_as_png_for_small_and_portrait_sizes()
    {
        var folder = Environment.GetEnvironmentVariable("LIVEHOST_AVATAR_PNG_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Path.GetTempPath(), "livehost-avatar-shots");
        foreach (var (w, h) in new[] { (320, 240), (720, 1280) })
        {
            using var rig = new AvatarRig(w, h, "en");
            for (var i = 0; i < 5; i++) rig.Render(AvatarRig.Frame(i), "Short caption");
            var path = Path.Combine(folder, $"avatar-en-{w}x{h}.png");
            PixelProbe.SavePng(rig.Composed, w, h, path);
            Assert.True(File.Exists(path));
        }

        // And the middle of a blink, to check the shut eyes look calm.
        using var blinking = new AvatarRig(640, 360, "en");
        var shut = false;
        for (var i = 0; i < 250 && !shut; i++)
        {
            blinking.Render(AvatarRig.Frame(i));
            shut = blinking.Presenter.LastPose.BlinkClosure > 0.95f;
        }
        Assert.True(shut, "no shut-eye frame in 10 s");
        PixelProbe.SavePng(blinking.Composed, 640, 360, Path.Combine(folder, "avatar-en-blink.png"));
    }
}
