using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Building;
using LiveHost.Avatars.Realistic.FaceDetection;
using LiveHost.Avatars.Realistic.Tests.Packages;
using LiveHost.Avatars.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace LiveHost.Avatars.Realistic.Tests.Building;

public sealed class AvatarPackageBuilderTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestPackages _keys = new();
    private readonly TestDirectory _work = new();

    [Fact]
    public async Task A_package_built_from_the_synthetic_video_loads_with_detected_moving_face_boxes()
    {
        var video = _work.File("synthetic.mp4");
        await SyntheticFaceVideo.WriteAsync(video, 320, 240, 25, 3, SyntheticVideoContent.TalkingFace);
        var builder = new AvatarPackageBuilder();

        var result = await builder.BuildAsync(new AvatarBuildOptions
        {
            VideoPath = video, OutputDirectory = _work.File("pkg"), Consent = ConsentFor(video),
            SigningKeyPem = _keys.PrivateKeyPem, Width = 320, Seconds = 3, Fps = 25, Time = Clock,
            FaceModelPath = BlazeFaceDetector.DefaultModelPath(TestDirectory.RepositoryRoot),
        });

        foreach (var warning in result.Warnings) output.WriteLine("warning: " + warning);
        output.WriteLine($"face found in {result.FramesWithFace} of {result.Manifest.Frames!.Count} frames");
        Assert.Equal(75, result.Manifest.Frames.Count);
        Assert.Equal(FrameSource.PingPong, result.Manifest.Frames.Loop);
        Assert.Equal(AvatarPackageBuilder.DetectorName, result.Manifest.Faces!.Detector);
        Assert.True(result.FramesWithFace >= 70, $"BlazeFace found the drawn face in only {result.FramesWithFace} of 75 frames");

        using var verifier = _keys.Verifier();
        var package = AvatarPackageLoader.Load(result.PackageDirectory, verifier, new FakeTimeProvider(TestPackages.Now));
        Assert.Equal((320, 240), (package.Width, package.Height));
        var centres = package.Faces.Select(f => f.X + f.Width / 2.0).ToArray();
        // The face drifts ±12 px horizontally (0.5 Hz): the smoothed track follows it, centred on the frame.
        Assert.InRange(centres.Average(), 150, 170);
        Assert.InRange(centres.Max() - centres.Min(), 10, 30);
        Assert.All(package.Faces, f => Assert.InRange(f.Width, 60, 160));
        // The package names the recording it was made from, the one the consent covers.
        Assert.Equal(AvatarPackageLoader.Sha256Of(video), package.Manifest.Recording!.Sha256);
        Assert.Equal(package.Consent.RecordingSha256, package.Manifest.Recording.Sha256);
    }

    [Fact]
    public async Task A_video_without_a_face_gets_the_fallback_box_and_a_clear_warning()
    {
        var video = _work.File("empty.mp4");
        await SyntheticFaceVideo.WriteAsync(video, 320, 240, 25, 1, SyntheticVideoContent.NoFace);

        var result = await new AvatarPackageBuilder().BuildAsync(new AvatarBuildOptions
        {
            VideoPath = video, OutputDirectory = _work.File("pkg"), Consent = ConsentSigner.Sign(ConsentFor(video), _keys.PrivateKeyPem),
            Width = 160, Seconds = 1, Time = Clock,
            FaceModelPath = BlazeFaceDetector.DefaultModelPath(TestDirectory.RepositoryRoot),
        });

        Assert.Equal(0, result.FramesWithFace);
        Assert.Equal(AvatarPackageBuilder.FallbackDetectorName, result.Manifest.Faces!.Detector);
        Assert.Contains(result.Warnings, w => w.Contains("No face was found", StringComparison.Ordinal));
        Assert.Equal(new FaceBox(56, 18, 48, 60), result.Manifest.Faces.Boxes[0]);
        using var verifier = _keys.Verifier();
        Assert.Equal(25, AvatarPackageLoader.Load(result.PackageDirectory, verifier, new FakeTimeProvider(TestPackages.Now)).FrameCount);
    }

    [Fact]
    public async Task The_builder_refuses_an_unsigned_consent_and_writes_nothing()
    {
        var video = _work.File("person.mp4");
        await File.WriteAllTextAsync(video, "not decoded: refused before");
        var options = new AvatarBuildOptions
        {
            VideoPath = video, OutputDirectory = _work.File("pkg"), Consent = ConsentFor(video), Time = Clock,
        };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new AvatarPackageBuilder().BuildAsync(options));

        Assert.Contains("not signed", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_work.File("pkg")));
    }

    public static TheoryData<string, string> RefusedConsents() => new()
    {
        { "expired", "the consent expired at" },
        { "scope", "does not include \"livestream\"" },
        { "incomplete", "subject (the person whose likeness this is) is missing" },
        { "no recording", "recordingSha256 (the SHA-256 of the recording it covers) is missing" },
        { "other recording", "A package is only built from the recording its consent names" },
        { "missing video", "does not exist" },
    };

    [Theory]
    [MemberData(nameof(RefusedConsents))]
    public async Task The_builder_refuses_a_consent_it_cannot_use_before_decoding_anything_and_leaves_no_folder(string problem, string says)
    {
        var video = _work.File("person.mp4");
        await SyntheticFaceVideo.WriteAsync(video, 160, 120, 25, 1, SyntheticVideoContent.StillLipsFace);
        var consent = ConsentFor(video);
        consent = problem switch
        {
            "expired" => consent with { ExpiresAt = TestPackages.Now.AddSeconds(-1) },
            "scope" => consent with { Scope = ["advertising"] },
            "incomplete" => consent with { Subject = "" },
            "no recording" => consent with { RecordingSha256 = null },
            // The consent was given for one recording; the package is to be built from a photo of a cat.
            "other recording" => consent with { RecordingSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("cat.jpg"u8)) },
            _ => consent,
        };
        var options = new AvatarBuildOptions
        {
            VideoPath = problem == "missing video" ? _work.File("nowhere.mp4") : video, OutputDirectory = _work.File("pkg"),
            Consent = consent, SigningKeyPem = _keys.PrivateKeyPem, Time = Clock, Width = 160, Seconds = 1,
        };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new AvatarPackageBuilder().BuildAsync(options));

        output.WriteLine(e.Message);
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_work.File("pkg")));
    }

    [Fact]
    public async Task A_build_that_fails_half_way_leaves_no_folder_behind()
    {
        var video = _work.File("broken.mp4");
        await File.WriteAllTextAsync(video, "these bytes are the consented recording, but ffmpeg cannot read them");
        var options = new AvatarBuildOptions
        {
            VideoPath = video, OutputDirectory = _work.File("pkg"), Consent = ConsentFor(video), SigningKeyPem = _keys.PrivateKeyPem,
            Time = Clock, Width = 160, Seconds = 1,
        };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new AvatarPackageBuilder().BuildAsync(options));

        Assert.Contains("ffprobe", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_work.File("pkg")));
    }

    [Fact]
    public async Task An_already_signed_consent_goes_into_the_package_with_its_original_signature()
    {
        var video = _work.File("person.mp4");
        await SyntheticFaceVideo.WriteAsync(video, 160, 120, 25, 1, SyntheticVideoContent.StillLipsFace);
        var signed = ConsentSigner.Sign(ConsentFor(video), _keys.PrivateKeyPem);

        // The key is passed again, out of habit: the record keeps the signature a revocation may already name.
        var result = await new AvatarPackageBuilder().BuildAsync(new AvatarBuildOptions
        {
            VideoPath = video, OutputDirectory = _work.File("pkg"), Consent = signed, SigningKeyPem = _keys.PrivateKeyPem,
            Time = Clock, Width = 160, Seconds = 1,
        });

        Assert.Equal(signed.Signature, result.Manifest.Consent!.Signature);
        Assert.Contains(result.Warnings, w => w.Contains("already signed", StringComparison.Ordinal));
        using var verifier = _keys.Verifier();
        ConsentRevocationList.Write(_keys.RevocationListPath, [new() { Signature = signed.Signature, Reason = "withdrawn" }]);
        var e = Assert.Throws<AvatarPackageRejectedException>(() => AvatarPackageLoader.Load(result.PackageDirectory, verifier, Clock));
        Assert.Equal(PackageRejection.ConsentRevoked, e.Reason);
    }

    private static FakeTimeProvider Clock => new(TestPackages.Now);

    /// <summary>An unsigned consent covering <paramref name="video"/>.</summary>
    private static ConsentRecord ConsentFor(string video) =>
        TestPackages.UnsignedConsent() with { RecordingSha256 = AvatarPackageLoader.Sha256Of(video) };

    [Fact]
    public void Track_smoothing_fills_gaps_and_damps_jitter()
    {
        FaceBox?[] raw = [null, new FaceBox(100, 50, 40, 40), null, null, new FaceBox(130, 50, 40, 40), new FaceBox(90, 50, 40, 40), null];

        var smooth = FaceTrackSmoother.Smooth(raw, radius: 0, 320, 240)!;
        Assert.Equal(new FaceBox(100, 50, 40, 40), smooth[0]);
        Assert.Equal(new FaceBox(110, 50, 40, 40), smooth[2]);
        Assert.Equal(new FaceBox(90, 50, 40, 40), smooth[6]);

        var damped = FaceTrackSmoother.Smooth(raw, radius: 2, 320, 240)!;
        var jumps = damped.Zip(damped.Skip(1), (a, b) => Math.Abs(a.X - b.X)).Max();
        Assert.True(jumps < 40, $"largest jump {jumps}");
        Assert.Null(FaceTrackSmoother.Smooth([null, null], 2, 320, 240));
    }

    public void Dispose()
    {
        _work.Dispose();
        _keys.Dispose();
    }
}
