using LiveHost.Avatars.Packages;
using LiveHost.Inference;
using LiveHost.Inference.Models;
using LiveHost.Inference.Onnx;
using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.Tests.Actions;

/// <summary>A recorded presenter playing the actions of the package built from the labelled synthetic recording.</summary>
public sealed class RealisticActionTests(ActionFigurePackage figure) : IClassFixture<ActionFigurePackage>, IDisposable
{
    private const int Width = 320;
    private const int Height = 240;
    private readonly SKBitmap _bitmap = new(Width, Height);
    private readonly OnnxModelHost _host = new(Options.Create(new InferenceOptions { PreferGpu = false }), NullLoggerFactory.Instance);

    [Fact]
    public void PlayAction_waits_for_the_entry_idle_frame_plays_the_segment_and_goes_on_from_the_exit_idle_frame()
    {
        var package = figure.Package;
        var action = package.Actions[0];
        using var avatar = new RealisticAvatar(package);
        using var canvas = new SKCanvas(_bitmap);
        Assert.Equal(["wave"], avatar.Actions);
        Assert.False(avatar.TryPlay("moonwalk"));

        // Ask at a tick where the loop is elsewhere than the entry frame (it comes round within one ping-pong period).
        var tick = 0L;
        while (package.LoopFrame(tick) == action.Entry.IdleFrame) Render(avatar, canvas, tick++);
        Assert.True(avatar.TryPlay("wave"));
        var shown = new List<(int Frame, string? Playing)>();
        var period = 2 * (package.FrameCount - 1);
        for (var i = 0; i < period + action.Count + 5; i++)
        {
            Render(avatar, canvas, tick++);
            shown.Add((avatar.LastPackageFrame, avatar.Playing));
        }

        var first = package.ActionStart(0);
        var enter = shown.FindIndex(s => s.Frame == first);
        Assert.True(enter > 0, "the action never started");
        // The loop showed the entry idle frame just before, and idle frames only until then.
        Assert.Equal(action.Entry.IdleFrame, shown[enter - 1].Frame);
        Assert.All(shown.Take(enter), s => Assert.True(s.Frame < package.FrameCount && s.Playing is null));
        Assert.True(enter <= period, $"the action waited {enter} ticks, more than one loop period ({period})");
        // Then every frame of the segment in order, named as playing, then the loop again from the exit idle frame, forward.
        Assert.Equal(Enumerable.Range(first, action.Count), shown.Skip(enter).Take(action.Count).Select(s => s.Frame));
        Assert.All(shown.Skip(enter).Take(action.Count), s => Assert.Equal("wave", s.Playing));
        var after = shown.Skip(enter + action.Count).Take(3).ToArray();
        Assert.Equal(action.Exit.IdleFrame, after[0].Frame);
        Assert.All(after, s => Assert.Null(s.Playing));
        Assert.Equal([.. after.Select(s => s.Frame)], new[] { package.LoopFrame(action.Exit.IdleFrame), package.LoopFrame(action.Exit.IdleFrame + 1), package.LoopFrame(action.Exit.IdleFrame + 2) });
    }

    [Fact]
    public void Lip_sync_keeps_working_on_action_frames_where_the_face_is_visible()
    {
        var package = figure.Package;
        var action = package.Actions[0];
        var model = new Wav2LipModel(_host, Path.Combine(TestDirectory.RepositoryRoot, "tests", "LiveHost.Inference.Tests", "Fixtures", "test_wav2lip.onnx"));
        using var avatar = new RealisticAvatar(package, model, new RealisticAvatarOptions { LipSyncWait = TimeSpan.FromSeconds(5) });
        using var canvas = new SKCanvas(_bitmap);
        Assert.True(avatar.TryPlay("wave"));
        var tick = 0L;
        var first = package.ActionStart(0);
        while (avatar.LastPackageFrame != first) Render(avatar, canvas, tick++, speaking: true);

        var before = avatar.LipSyncedFrames;
        var faces = new List<SKRect>();
        for (var i = 1; i < action.Count; i++)
        {
            Render(avatar, canvas, tick++, speaking: true);
            Assert.Equal(first + i, avatar.LastPackageFrame);
            faces.Add(avatar.LastFaceRect);
        }
        var visible = Enumerable.Range(1, action.Count - 1).Count(i => !action.NoFace.Contains(i));
        // Each action frame with a face got the mouth made for the frame before it (none late: the wait is generous)...
        Assert.True(avatar.LipSyncedFrames - before >= visible - 1, $"{avatar.LipSyncedFrames - before} of {visible} visible action frames lip-synced");
        Assert.Equal(0, avatar.LateFrames);
        // ...placed on the action frame's own face box (the figure sways: the box moves with it).
        Assert.Equal(Rect(action.Boxes[^1]), faces[^1]);
    }

    private static SKRect Rect(FaceBox box) => new(box.X, box.Y, box.Right, box.Bottom);

    private static void Render(RealisticAvatar avatar, SKCanvas canvas, long tick, bool speaking = false)
    {
        var audio = new float[2 * AvatarFrame.AudioContextSamples];
        if (speaking)
        {
            for (var i = 0; i < audio.Length; i++) audio[i] = 0.3f * MathF.Sin(i * 0.05f);
        }
        avatar.Render(new AvatarFrame(tick, tick / 25.0, speaking ? Viseme.AA : Viseme.Silence, speaking ? 0.5f : 0, speaking, audio), canvas, Width, Height);
    }

    public void Dispose()
    {
        _bitmap.Dispose();
        _host.Dispose();
    }
}
