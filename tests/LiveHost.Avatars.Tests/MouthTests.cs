using LiveHost.Speech;
using Xunit;

namespace LiveHost.Avatars.Tests;

public sealed class MouthTests
{
    private const int Width = 640;
    private const int Height = 360;

    /// <summary>Holds one viseme for half a second (long enough for smoothing to settle) and returns the frame.</summary>
    private static (byte[] Pixels, MouthShape Mouth) Settled(Viseme viseme, float loudness = 0.5f)
    {
        using var rig = new AvatarRig(Width, Height, "en");
        for (var i = 0; i < 13; i++) rig.Render(AvatarRig.Frame(i, viseme, loudness, speaking: true));
        return ((byte[])rig.AvatarOnly.Clone(), rig.Presenter.LastMouth);
    }

    private static bool IsMouthInside(byte r, byte g, byte b) =>
        Math.Abs(r - CartoonPalette.MouthInside.Red) < 30 && Math.Abs(g - CartoonPalette.MouthInside.Green) < 30 && Math.Abs(b - CartoonPalette.MouthInside.Blue) < 30;

    [Theory]
    [InlineData(Viseme.Silence, Viseme.AA)]
    [InlineData(Viseme.AA, Viseme.U)]
    [InlineData(Viseme.AA, Viseme.PP)]
    [InlineData(Viseme.E, Viseme.O)]
    public void Mouth_region_differs_clearly_between_visemes_once_smoothing_settles(Viseme first, Viseme second)
    {
        var a = Settled(first);
        var b = Settled(second);
        var mouth = CartoonLayout.For(Width, Height).MouthRegion;

        var changed = PixelProbe.ChangedFraction(a.Pixels, b.Pixels, Width, Height, mouth, threshold: 40);
        Assert.True(changed > 0.08, $"{first} vs {second}: only {changed:P1} of the mouth region differs");

        // Nothing but the mouth moved: the same seed and times give the same head pose.
        var forehead = CartoonLayout.For(Width, Height).HeadRegion;
        forehead.Bottom = forehead.Top + forehead.Height * 0.3f;
        Assert.Equal(0, PixelProbe.ChangedFraction(a.Pixels, b.Pixels, Width, Height, forehead, threshold: 2));
    }

    [Fact]
    public void Open_visemes_show_the_inside_of_the_mouth_and_closed_ones_do_not()
    {
        var mouth = CartoonLayout.For(Width, Height).MouthRegion;
        var aa = Settled(Viseme.AA);
        var pp = Settled(Viseme.PP);
        var silence = Settled(Viseme.Silence);

        Assert.True(aa.Mouth.Open > 0.9f, $"AA settled at {aa.Mouth.Open}");
        Assert.Equal(0f, pp.Mouth.Open);
        Assert.True(PixelProbe.Count(aa.Pixels, Width, Height, mouth, IsMouthInside) > 100);
        Assert.Equal(0, PixelProbe.Count(pp.Pixels, Width, Height, mouth, IsMouthInside));
        Assert.Equal(0, PixelProbe.Count(silence.Pixels, Width, Height, mouth, IsMouthInside));
    }

    [Fact]
    public void Mouth_returns_to_closed_when_speech_stops()
    {
        using var rig = new AvatarRig(Width, Height, "en");
        var mouth = rig.Layout.MouthRegion;
        long i = 0;
        for (; i < 25; i++) rig.Render(AvatarRig.Frame(i, Viseme.AA, 0.8f, speaking: true));
        Assert.True(PixelProbe.Count(rig.AvatarOnly, Width, Height, mouth, IsMouthInside) > 100);

        for (var end = i + 12; i < end; i++) rig.Render(AvatarRig.Frame(i));
        Assert.Equal(MouthShape.Closed, rig.Presenter.LastMouth);
        Assert.Equal(0, PixelProbe.Count(rig.AvatarOnly, Width, Height, mouth, IsMouthInside));
    }

    [Fact]
    public void Mouth_glides_between_shapes_instead_of_jumping()
    {
        var animator = new MouthAnimator();
        var previous = animator.Current;
        var sequence = new[] { Viseme.AA, Viseme.AA, Viseme.PP, Viseme.O, Viseme.E, Viseme.PP, Viseme.AA, Viseme.U, Viseme.Silence };
        for (var i = 0; i < sequence.Length * 3; i++)
        {
            var frame = AvatarRig.Frame(i, sequence[i / 3], 0.7f, speaking: true);
            var target = MouthAnimator.TargetFor(frame);
            var next = animator.Update(frame);
            var step = Math.Abs(next.Open - previous.Open);
            var distance = Math.Abs(target.Open - previous.Open);
            // Each frame covers part of the way, never all of it at once, and never overshoots.
            if (distance > 0.05f) Assert.True(step < 0.85f * distance, $"frame {i}: moved {step} of {distance}");
            Assert.True(Math.Abs(target.Open - next.Open) <= distance + 1e-6f);
            previous = next;
        }
    }

    [Fact]
    public void Loudness_opens_the_mouth_a_little_more_but_never_pries_closed_lips()
    {
        var quiet = MouthAnimator.TargetFor(AvatarRig.Frame(0, Viseme.E, 0.1f, speaking: true));
        var loud = MouthAnimator.TargetFor(AvatarRig.Frame(0, Viseme.E, 0.9f, speaking: true));
        Assert.True(loud.Open > quiet.Open + 0.1f);
        Assert.Equal(0f, MouthAnimator.TargetFor(AvatarRig.Frame(0, Viseme.PP, 1f, speaking: true)).Open);
        Assert.Equal(MouthShape.Closed, MouthAnimator.TargetFor(AvatarRig.Frame(0, Viseme.AA, 1f, speaking: false)));
    }

    [Fact]
    public void Every_viseme_has_a_shape_in_range()
    {
        foreach (var viseme in Enum.GetValues<Viseme>())
        {
            var shape = VisemeMouthShapes.For(viseme);
            Assert.InRange(shape.Open, 0f, 1f);
            Assert.InRange(shape.Width, 0.4f, 1.3f);
            Assert.InRange(shape.Roundness, 0f, 1f);
        }
        Assert.True(VisemeMouthShapes.For(Viseme.AA).Open > VisemeMouthShapes.For(Viseme.U).Open);
        Assert.True(VisemeMouthShapes.For(Viseme.U).Width < VisemeMouthShapes.For(Viseme.E).Width);
    }
}
