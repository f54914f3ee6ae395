using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Actions;
using LiveHost.Avatars.Realistic.Building;
using LiveHost.Avatars.Realistic.Tests.Packages;
using LiveHost.Avatars.TestSupport;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;
using Xunit.Abstractions;

namespace LiveHost.Avatars.Realistic.Tests.Actions;

/// <summary>Where the builder cuts an action into the idle loop, measured on the labelled synthetic recording.</summary>
public sealed class ActionCutTests(ActionFigurePackage figure, ITestOutputHelper output) : IClassFixture<ActionFigurePackage>
{
    [Fact]
    public void Each_cut_differs_by_at_most_one_and_a_half_times_the_recordings_median_frame_step_and_a_naive_cut_at_the_requested_times_does_not()
    {
        var recording = figure.Recording;
        var steps = Enumerable.Range(1, recording.Count - 1).Select(i => Difference(recording[i - 1], recording[i])).Order().ToArray();
        var median = steps[steps.Length / 2];
        var limit = 1.5 * median;
        var action = Assert.Single(figure.Package.Actions);
        var package = figure.Package;
        var first = package.ActionStart(0);

        // What a viewer sees at each cut: the stored idle frame, then the stored action frame (and back).
        var entry = Difference(Rgba(package, action.Entry.IdleFrame), Rgba(package, first));
        var exit = Difference(Rgba(package, first + action.Count - 1), Rgba(package, action.Exit.IdleFrame));
        // A naive cut at the requested times, even from the idle frame that matches them best.
        var idle = package.FrameCount;
        var start = (int)(ActionFigurePackage.ActionStart * ActionFigurePackage.Fps);
        var end = (int)(ActionFigurePackage.ActionEnd * ActionFigurePackage.Fps) - 1;
        var naiveEntry = Enumerable.Range(0, idle).Min(i => Difference(recording[i], recording[start]));
        var naiveExit = Enumerable.Range(0, idle).Min(i => Difference(recording[end], recording[i]));
        output.WriteLine($"median step {median:0.000} (limit {limit:0.000}); entry {entry:0.000} (frame {action.Entry.Frame} after idle {action.Entry.IdleFrame}), " +
            $"exit {exit:0.000} (frame {action.Exit.Frame} to idle {action.Exit.IdleFrame}); naive {naiveEntry:0.000} / {naiveExit:0.000}; " +
            $"builder's own {action.Entry.Difference} / {action.Exit.Difference}");

        Assert.True(median > 0, "the recording does not move");
        Assert.True(entry <= limit, $"the cut into the action differs by {entry:0.000}, over 1.5 x the median step {median:0.000}");
        Assert.True(exit <= limit, $"the cut back to the loop differs by {exit:0.000}, over 1.5 x the median step {median:0.000}");
        Assert.True(naiveEntry > limit, $"control: a cut at {ActionFigurePackage.ActionStart} s differs by only {naiveEntry:0.000}");
        Assert.True(naiveExit > limit, $"control: a cut at {ActionFigurePackage.ActionEnd} s differs by only {naiveExit:0.000}");
        // The action holds the whole labelled gesture: it starts before the arm moves and ends after it is down again.
        Assert.Equal(0, ActionFigureRecording.Raise(action.Entry.Frame / (double)ActionFigurePackage.Fps));
        Assert.Equal(0, ActionFigureRecording.Raise(action.Exit.Frame / (double)ActionFigurePackage.Fps));
        Assert.Contains(Enumerable.Range(action.Entry.Frame, action.Count), f => ActionFigureRecording.Raise(f / (double)ActionFigurePackage.Fps) == 1);
        Assert.InRange(action.Entry.Frame, start - 13, start + 13);
        Assert.InRange(action.Exit.Frame, end - 13, end + 13);
        Assert.Equal(new FrameRange { Start = start, End = end + 1 }, action.Source);
        Assert.True(action.Boxes.Count == action.Count && action.NoFace.Count < action.Count / 2, $"no face on {action.NoFace.Count} of {action.Count} action frames");
    }

    [Theory]
    [InlineData("Wave:1-2", "is not valid")]
    [InlineData("wave:2-1", "is not a segment")]
    [InlineData("wave:1-2,wave:3-4", "is given twice")]
    [InlineData("a-very-long-action-name-over-32-chars:1-2", "is not valid")]
    public async Task The_builder_refuses_bad_actions_before_decoding_anything_and_leaves_no_folder(string actions, string says)
    {
        using var work = new TestDirectory();
        var video = work.File("person.mp4");
        await File.WriteAllTextAsync(video, "not decoded: refused before");
        var options = new AvatarBuildOptions
        {
            VideoPath = video, OutputDirectory = work.File("pkg"), Time = new FakeTimeProvider(TestPackages.Now), SigningKeyPem = figure.Keys.PrivateKeyPem,
            Consent = TestPackages.UnsignedConsent() with { RecordingSha256 = AvatarPackageLoader.Sha256Of(video) },
            Actions = actions.Split(',').Select(ActionRequest.Parse).ToArray(),
        };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new AvatarPackageBuilder().BuildAsync(options));

        Assert.Contains(says, e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(work.File("pkg")));
    }

    [Fact]
    public void An_action_option_that_is_not_name_start_end_is_refused_with_the_form()
    {
        var e = Assert.Throws<FormatException>(() => ActionRequest.Parse("wave 1-2"));
        Assert.Contains(ActionRequest.Form, e.Message, StringComparison.Ordinal);
        Assert.Equal(new ActionRequest("show-product", 12.5, 15), ActionRequest.Parse("show-product:12.5-15"));
    }

    [Fact]
    public void A_package_whose_action_frame_was_swapped_after_the_build_is_refused()
    {
        using var work = new TestDirectory();
        var copy = work.File("pkg");
        foreach (var file in Directory.EnumerateFiles(figure.Build.PackageDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(figure.Build.PackageDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        // An idle frame (same size, a real JPEG) put in place of the action's third frame.
        File.Copy(Path.Combine(copy, "frames/00000.jpg"), Path.Combine(copy, "actions/wave/00002.jpg"), overwrite: true);
        using var verifier = figure.Keys.Verifier();

        var e = Assert.Throws<AvatarPackageRejectedException>(() => AvatarPackageLoader.Load(copy, verifier, new FakeTimeProvider(TestPackages.Now)));

        Assert.Equal(PackageRejection.FramesNotFromRecording, e.Reason);
        Assert.Contains("action 'wave'", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Mean absolute difference per channel (0..255) of two RGBA frames of one size.</summary>
    private static double Difference(byte[] a, byte[] b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (i % 4 == 3) continue;
            sum += Math.Abs(a[i] - b[i]);
        }
        return sum / (a.Length * 0.75);
    }

    private static byte[] Rgba(AvatarPackage package, int stored)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(package.Width, package.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var codec = SKCodec.Create(new MemoryStream(package.FrameJpeg(stored).ToArray()));
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(bitmap.Info, bitmap.GetPixels()));
        return bitmap.Bytes;
    }
}
