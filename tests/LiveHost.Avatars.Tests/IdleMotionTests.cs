using SkiaSharp;
using Xunit;

namespace LiveHost.Avatars.Tests;

public sealed class IdleMotionTests
{
    private const int Width = 640;
    private const int Height = 360;

    private static bool IsEyeWhite(byte r, byte g, byte b) => r > 235 && g > 235 && b > 235;

    [Fact]
    public void Blinks_happen_in_a_ten_second_idle_sequence_at_25_fps()
    {
        using var rig = new AvatarRig(Width, Height, "en");
        var layout = rig.Layout;
        var eyes = SKRect.Union(layout.ViewerLeftEyeRegion, layout.ViewerRightEyeRegion);
        var whites = new int[250];
        var luma = new double[250];
        bool[]? whiteMask = null;
        for (var i = 0; i < 250; i++)
        {
            rig.Render(AvatarRig.Frame(i));
            // The first frame (eyes open: the first blink comes after 0.8 s) marks where the eye whites are.
            whiteMask ??= Mask(rig.AvatarOnly, Width, eyes);
            whites[i] = PixelProbe.Count(rig.AvatarOnly, Width, Height, eyes, IsEyeWhite);
            luma[i] = MaskedLuma(rig.AvatarOnly, Width, eyes, whiteMask);
        }

        var open = whites.Order().ElementAt(whites.Length / 2);
        var openLuma = luma.Order().ElementAt(luma.Length / 2);
        Assert.True(open > 50, $"open eyes show {open} white pixels");
        var closedFrames = Enumerable.Range(0, whites.Length).Where(i => whites[i] < open / 4).ToArray();
        var blinks = closedFrames.Where((frame, k) => k == 0 || closedFrames[k - 1] != frame - 1).Count();

        Assert.True(blinks >= 2, $"only {blinks} blinks in 10 s");
        Assert.True(blinks <= 6, $"{blinks} blinks in 10 s is nervous");
        Assert.True(closedFrames.Length <= 30, $"eyes shut in {closedFrames.Length} of 250 frames");
        // Shut eyes darken where the whites were: lids and lashes cover them.
        Assert.All(closedFrames, i => Assert.True(luma[i] < openLuma - 10, $"frame {i}: luma {luma[i]:F0} vs open {openLuma:F0}"));
    }

    private static bool[] Mask(byte[] bgra, int width, SKRect region)
    {
        var r = PixelProbe.Clamp(region, width, Height);
        var mask = new bool[r.Width * r.Height];
        for (var y = r.Top; y < r.Bottom; y++)
        {
            for (var x = r.Left; x < r.Right; x++)
            {
                var i = (y * width + x) * 4;
                mask[(y - r.Top) * r.Width + x - r.Left] = IsEyeWhite(bgra[i + 2], bgra[i + 1], bgra[i]);
            }
        }
        return mask;
    }

    private static double MaskedLuma(byte[] bgra, int width, SKRect region, bool[] mask)
    {
        var r = PixelProbe.Clamp(region, width, Height);
        double sum = 0;
        var n = 0;
        for (var y = r.Top; y < r.Bottom; y++)
        {
            for (var x = r.Left; x < r.Right; x++)
            {
                if (!mask[(y - r.Top) * r.Width + x - r.Left]) continue;
                var i = (y * width + x) * 4;
                sum += 0.114 * bgra[i] + 0.587 * bgra[i + 1] + 0.299 * bgra[i + 2];
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    [Fact]
    public void Head_moves_a_little_between_t_and_t_plus_one_and_a_half_seconds_while_not_speaking()
    {
        using var rig = new AvatarRig(Width, Height, "en");
        var layout = rig.Layout;
        var head = layout.HeadRegion;
        head.Inflate(12, 12);
        static bool IsHair(byte r, byte g, byte b) => r < 100 && g < 75 && b < 60 && r > g;

        var frames = new Dictionary<int, byte[]>();
        var poses = new Dictionary<int, IdlePose>();
        for (var i = 0; i <= 150; i++)
        {
            rig.Render(AvatarRig.Frame(i));
            if (i % 25 == 0 || i % 25 == 12)
            {
                frames[i] = (byte[])rig.AvatarOnly.Clone();
                poses[i] = rig.Presenter.LastPose;
            }
        }

        var eyes = new[] { layout.ViewerLeftEyeRegion, layout.ViewerRightEyeRegion }
            .Select(e => SKRect.Inflate(e, 6, 6)).ToArray();
        var moved = 0;
        foreach (var t in new[] { 25, 50, 62, 75, 100 })
        {
            var later = t + 37; // 1.48 s at 25 fps
            if (!frames.ContainsKey(later)) later = t + 38;
            if (!frames.ContainsKey(later)) continue;
            var changed = PixelProbe.ChangedFraction(frames[t], frames[later], Width, Height, head, threshold: 16, exclude: eyes);
            var a = PixelProbe.Centroid(frames[t], Width, Height, head, IsHair)!.Value;
            var b = PixelProbe.Centroid(frames[later], Width, Height, head, IsHair)!.Value;
            var shift = SKPoint.Distance(a, b);
            Assert.True(shift < 0.03f * Height, $"t={t}: head jumped {shift:F1}px");
            if (changed > 0.005 && shift > 0.1f) moved++;
        }
        Assert.True(moved >= 3, $"head moved in only {moved} of the sampled intervals");
        Assert.All(poses.Values, p => Assert.InRange(p.HeadOffsetX, -12f, 12f));
        Assert.All(poses.Values, p => Assert.InRange(p.HeadTiltDegrees, -4f, 4f));
    }

    [Fact]
    public void Same_seed_gives_the_same_motion_and_a_different_seed_does_not()
    {
        var a = new IdleMotion(3);
        var b = new IdleMotion(3);
        var c = new IdleMotion(4);
        var differs = false;
        for (var i = 0; i < 500; i++)
        {
            var frame = AvatarRig.Frame(i, speaking: i % 100 < 50, loudness: 0.4f);
            var pa = a.Update(frame);
            Assert.Equal(pa, b.Update(frame));
            differs |= pa != c.Update(frame);
        }
        Assert.True(differs);
    }

    [Fact]
    public void Blinks_come_every_two_to_six_seconds_over_two_minutes()
    {
        var motion = new IdleMotion(11);
        var starts = new List<double>();
        var wasOpen = true;
        for (var i = 0; i < 25 * 120; i++)
        {
            var pose = motion.Update(AvatarRig.Frame(i));
            if (pose.BlinkClosure > 0.5f && wasOpen) starts.Add(i / 25.0);
            wasOpen = pose.BlinkClosure <= 0.5f;
        }

        var gaps = starts.Zip(starts.Skip(1), (x, y) => y - x).ToArray();
        Assert.InRange(starts.Count, 120 / 6, 120 / 2 + 10);
        // Gaps are 2-6 s, except the short pause inside an occasional double blink.
        Assert.All(gaps, g => Assert.True(g is > 0.2 and < 0.5 or >= 1.9 and <= 6.1, $"gap {g:F2}s"));
        Assert.Contains(gaps, g => g > 4);
        Assert.Contains(gaps, g => g < 3);
    }

    [Fact]
    public void Head_moves_more_while_speaking()
    {
        static double Travel(bool speaking)
        {
            var motion = new IdleMotion(5);
            var previous = motion.Update(AvatarRig.Frame(0, speaking: speaking, loudness: 0.6f));
            double travel = 0;
            for (var i = 1; i < 250; i++)
            {
                var pose = motion.Update(AvatarRig.Frame(i, speaking: speaking, loudness: 0.6f));
                travel += Math.Abs(pose.HeadOffsetY - previous.HeadOffsetY) + Math.Abs(pose.HeadOffsetX - previous.HeadOffsetX);
                previous = pose;
            }
            return travel;
        }

        Assert.True(Travel(true) > 1.5 * Travel(false));
    }
}
