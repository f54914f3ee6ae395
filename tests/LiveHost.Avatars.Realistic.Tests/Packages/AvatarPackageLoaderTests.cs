using LiveHost.Avatars.Packages;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.Avatars.Realistic.Tests.Packages;

public sealed class AvatarPackageLoaderTests : IDisposable
{
    private readonly TestPackages _packages = new();
    private readonly FakeTimeProvider _time = new(TestPackages.Now);

    [Fact]
    public void A_valid_package_loads_with_its_frames_faces_and_consent()
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write(frames: 5, model: [1, 2, 3, 4]);

        var package = AvatarPackageLoader.Load(path, verifier, _time);

        Assert.Equal("pkg", package.Id);
        Assert.Equal(5, package.FrameCount);
        Assert.Equal(5, package.Faces.Count);
        Assert.Equal((64, 48), (package.Width, package.Height));
        Assert.True(package.PingPong);
        Assert.Equal("consent-1", package.Consent.Id);
        Assert.NotNull(package.LipSyncModel);
        Assert.True(File.Exists(package.ModelPath(package.LipSyncModel)));
        using var decoder = new PackageFrameDecoder(package);
        var first = decoder.Decode(0).GetPixel(32, 24);
        var last = decoder.Decode(4).GetPixel(32, 24);
        Assert.NotEqual(first, last);
    }

    [Fact]
    public void Ping_pong_loop_plays_forward_then_back_without_a_jump()
    {
        var sequence = Enumerable.Range(0, 12).Select(i => AvatarPackage.LoopFrame(i, 4, pingPong: true)).ToArray();

        Assert.Equal([0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1], sequence);
        Assert.Equal([0, 1, 2, 3, 0, 1], Enumerable.Range(0, 6).Select(i => AvatarPackage.LoopFrame(i, 4, pingPong: false)));
        Assert.Equal(0, AvatarPackage.LoopFrame(99, 1, pingPong: true));
        for (var i = 1; i < 200; i++)
        {
            Assert.True(Math.Abs(AvatarPackage.LoopFrame(i, 7, true) - AvatarPackage.LoopFrame(i - 1, 7, true)) == 1);
        }
    }

    [Fact]
    public void Missing_manifest_is_refused()
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write();
        File.Delete(Path.Combine(path, "manifest.json"));

        AssertRejected(PackageRejection.MissingManifest, path, verifier);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("null")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"formatVersion\":1}")]
    public void Unreadable_manifest_is_refused(string text)
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write();
        File.WriteAllText(Path.Combine(path, "manifest.json"), text);

        AssertRejected(PackageRejection.InvalidManifest, path, verifier);
    }

    public static TheoryData<string> BadManifests =>
        ["version", "kind", "fps", "size", "source", "sourceEscapes", "loop", "faceOutside", "noFaces", "modelPath", "modelHash", "modelChannels"];

    [Theory]
    [MemberData(nameof(BadManifests))]
    public void Manifest_with_a_bad_field_is_refused_as_invalid(string what)
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write(model: [9], edit: m => what switch
        {
            "version" => m with { FormatVersion = 2 },
            "kind" => m with { Kind = "cartoon" },
            "fps" => m with { Fps = 0 },
            "size" => m with { Width = 100_000 },
            "source" => m with { Frames = m.Frames! with { Source = "frames/x.jpg" } },
            "sourceEscapes" => m with { Frames = m.Frames! with { Source = "../frames/%05d.jpg" } },
            "loop" => m with { Frames = m.Frames! with { Loop = "bounce" } },
            "faceOutside" => m with { Faces = m.Faces! with { Boxes = [.. m.Faces.Boxes.Take(5), new FaceBox(60, 40, 10, 10)] } },
            "noFaces" => m with { Faces = null },
            "modelPath" => m with { Models = new PackageModels { LipSync = m.Models!.LipSync! with { Path = "/etc/passwd" } } },
            "modelHash" => m with { Models = new PackageModels { LipSync = m.Models!.LipSync! with { Sha256 = "abc" } } },
            "modelChannels" => m with { Models = new PackageModels { LipSync = m.Models!.LipSync! with { ChannelOrder = "yuv" } } },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        });

        AssertRejected(PackageRejection.InvalidManifest, path, verifier);
    }

    [Fact]
    public void Fewer_frames_than_declared_is_a_frame_count_mismatch()
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write(frames: 6);
        File.Delete(Path.Combine(path, "frames/00003.jpg"));

        var e = AssertRejected(PackageRejection.FrameCountMismatch, path, verifier);
        Assert.Contains("frame 3", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void More_frames_than_declared_is_a_frame_count_mismatch()
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write(frames: 4);
        TestPackages.WriteFrame(Path.Combine(path, "frames/00004.jpg"), 64, 48, 4);

        AssertRejected(PackageRejection.FrameCountMismatch, path, verifier);
    }

    [Fact]
    public void Face_boxes_not_one_per_frame_is_a_frame_count_mismatch()
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write(frames: 4, edit: m => m with { Faces = m.Faces! with { Boxes = m.Faces.Boxes.Take(3).ToArray() } });

        AssertRejected(PackageRejection.FrameCountMismatch, path, verifier);
    }

    [Fact]
    public void A_frame_of_the_wrong_size_or_not_a_jpeg_is_refused()
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write(frames: 3);
        TestPackages.WriteFrame(Path.Combine(path, "frames/00001.jpg"), 32, 48, 1);
        AssertRejected(PackageRejection.InvalidFrame, path, verifier);

        File.WriteAllText(Path.Combine(path, "frames/00001.jpg"), "not an image");
        AssertRejected(PackageRejection.InvalidFrame, path, verifier);
    }

    [Fact]
    public void A_model_whose_bytes_changed_is_a_hash_mismatch()
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write(model: [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(path, "models/lipsync.onnx"), [1, 2, 4]);

        var e = AssertRejected(PackageRejection.ModelHashMismatch, path, verifier);
        Assert.Contains("sha256", e.Detail, StringComparison.Ordinal);

        File.Delete(Path.Combine(path, "models/lipsync.onnx"));
        AssertRejected(PackageRejection.ModelMissing, path, verifier);
    }

    public static TheoryData<string, PackageRejection> ConsentProblems => new()
    {
        { "missing", PackageRejection.ConsentMissing },
        { "unsigned", PackageRejection.ConsentNotSigned },
        { "tampered", PackageRejection.ConsentBadSignature },
        { "expired", PackageRejection.ConsentExpired },
        { "scope", PackageRejection.ConsentWrongScope },
        { "unknownKey", PackageRejection.ConsentUnknownKey },
    };

    [Theory]
    [MemberData(nameof(ConsentProblems))]
    public void A_package_without_a_valid_consent_is_refused(string problem, PackageRejection expected)
    {
        using var verifier = _packages.Verifier();
        var key = _packages.PrivateKeyPem;
        var path = _packages.Write(edit: m => problem switch
        {
            "missing" => m with { Consent = null },
            "unsigned" => m with { Consent = m.Consent! with { Signature = null } },
            "tampered" => m with { Consent = m.Consent! with { Subject = "Someone Else" } },
            "expired" => m with { Consent = ConsentSigner.Sign(TestPackages.UnsignedConsent() with { ExpiresAt = TestPackages.Now.AddMinutes(-1) }, key) },
            "scope" => m with { Consent = ConsentSigner.Sign(TestPackages.UnsignedConsent() with { Scope = ["internal-demo"] }, key) },
            "unknownKey" => m with { Consent = ConsentSigner.Sign(TestPackages.UnsignedConsent() with { KeyId = "elsewhere" }, key) },
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        });

        AssertRejected(expected, path, verifier);
    }

    [Fact]
    public void A_revoked_consent_is_refused_at_load()
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write();
        ConsentRevocationList.Write(_packages.RevocationListPath, [new() { ConsentId = "consent-1", Reason = "withdrawn" }]);

        var e = AssertRejected(PackageRejection.ConsentRevoked, path, verifier);
        Assert.Contains("withdrawn", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Consent_is_checked_before_frames_are_read()
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write(frames: 3, edit: m => m with { Consent = null });
        File.Delete(Path.Combine(path, "frames/00001.jpg"));

        AssertRejected(PackageRejection.ConsentMissing, path, verifier);
    }

    [Fact]
    public void A_package_made_from_another_recording_than_its_consent_covers_is_refused()
    {
        using var verifier = _packages.Verifier();
        var cat = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("a photo of a cat"u8));
        var path = _packages.Write(edit: m => m with { Recording = m.Recording! with { Sha256 = cat } });

        var e = AssertRejected(PackageRejection.RecordingMismatch, path, verifier);
        Assert.Contains(cat, e.Detail, StringComparison.Ordinal);
        Assert.Contains(TestPackages.RecordingSha256, e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_whose_frames_were_swapped_after_the_build_is_refused()
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write(frames: 4);
        // Another picture of the right size in place of frame 2: every other check still passes.
        TestPackages.WriteFrame(Path.Combine(path, "frames/00002.jpg"), 64, 48, index: 7);

        var e = AssertRejected(PackageRejection.FramesNotFromRecording, path, verifier);
        Assert.Contains("not the frames made from the consented recording", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_that_does_not_name_its_recording_is_refused()
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write(edit: m => m with { Recording = null });

        AssertRejected(PackageRejection.RecordingMissing, path, verifier);
    }

    [Fact]
    public void A_consent_that_does_not_name_a_recording_is_incomplete()
    {
        using var verifier = _packages.Verifier();
        var path = _packages.Write(edit: m => m with
        {
            Consent = ConsentSigner.Sign(TestPackages.UnsignedConsent() with { RecordingSha256 = null }, _packages.PrivateKeyPem),
        });

        var e = AssertRejected(PackageRejection.ConsentIncomplete, path, verifier);
        Assert.Contains("recordingSha256", e.Detail, StringComparison.Ordinal);
    }

    private AvatarPackageRejectedException AssertRejected(PackageRejection reason, string path, ConsentVerifier verifier)
    {
        var e = Assert.Throws<AvatarPackageRejectedException>(() => AvatarPackageLoader.Load(path, verifier, _time));
        Assert.Equal(reason, e.Reason);
        Assert.Contains(reason.ToString(), e.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(e.Detail));
        return e;
    }

    public void Dispose() => _packages.Dispose();
}
