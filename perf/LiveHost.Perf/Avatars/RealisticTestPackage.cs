using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Building;
using LiveHost.Avatars.TestSupport;

namespace LiveHost.Perf.Avatars;

/// <summary>
/// A realistic avatar package for the benchmarks, built the way the studio builds one (AvatarPackageBuilder: ffmpeg
/// frames, BlazeFace, JPEG q90, a consent signed with a key made here and trusted by <see cref="Verifier"/>). The
/// recording is the LABELLED SYNTHETIC face video of the avatar tests unless <c>--video</c> names a real recording;
/// lip-sync is the analytic Wav2Lip-contract test fixture (the cost of the avatar's own work, not of a real Wav2Lip,
/// which the <c>inference</c> benchmark measures).
/// </summary>
public sealed class RealisticTestPackage : IDisposable
{
    private RealisticTestPackage(string root, string directory, ConsentVerifier verifier, string publicKeyPath, string source)
    {
        Root = root;
        Directory = directory;
        Verifier = verifier;
        PublicKeyPath = publicKeyPath;
        Source = source;
    }

    public const string KeyId = "perf-issuer";

    public string Root { get; }

    public string Directory { get; }

    public ConsentVerifier Verifier { get; }

    public string PublicKeyPath { get; }

    /// <summary>What the builder reported (the atlas labels among it).</summary>
    public AvatarBuildResult? Build { get; private init; }

    /// <summary>The viseme drawn on each frame of the synthetic atlas recording; null for any other recording.</summary>
    public LiveHost.Speech.Viseme[]? Truth { get; private init; }

    /// <summary>What the frames were made from, for the report.</summary>
    public string Source { get; }

    public static string RepositoryFile(params string[] parts) => Path.Combine([FindRoot(), .. parts]);

    /// <param name="atlas">
    /// Build a mouth atlas too: the recording is then the LABELLED SYNTHETIC <see cref="VisemeFaceRecording"/> (its
    /// sample transcript read by espeak-ng over a face with one mouth shape per viseme) and the package uses it.
    /// </param>
    public static async Task<RealisticTestPackage> BuildAsync(int width, double seconds, string? video, CancellationToken cancellationToken,
        bool atlas = false)
    {
        var root = System.IO.Directory.CreateTempSubdirectory("livehost-perf-package-").FullName;
        var (privateKey, publicKey) = ConsentSigner.CreateKeyPair();
        var publicKeyPath = Path.Combine(root, "issuer.pub.pem");
        await File.WriteAllTextAsync(publicKeyPath, publicKey, cancellationToken);
        var source = video ?? Path.Combine(root, "synthetic.mp4");
        string? transcript = null;
        LiveHost.Speech.Viseme[]? truth = null;
        if (atlas)
        {
            transcript = Path.Combine(root, "transcript.txt");
            await File.WriteAllLinesAsync(transcript, VisemeFaceRecording.SampleTranscript, cancellationToken);
            if (video is null) truth = (await VisemeFaceRecording.WriteAsync(source, VisemeFaceRecording.SampleTranscript, 1280, 720, 25, 140, 0.8)).Truth;
        }
        else if (video is null)
        {
            await SyntheticFaceVideo.WriteAsync(source, 1280, 720, 25, seconds, SyntheticVideoContent.TalkingFace);
        }
        var now = DateTimeOffset.UtcNow;
        var build = await new AvatarPackageBuilder().BuildAsync(new AvatarBuildOptions
        {
            VideoPath = source,
            OutputDirectory = Path.Combine(root, "package"),
            Id = "perf-realistic",
            Width = width,
            Seconds = seconds,
            Fps = 25,
            FaceModelPath = RepositoryFile("onnx-models", "blazeface", "face_detection_front_128x128_barracuda.onnx"),
            LipSyncModelPath = RepositoryFile("tests", "LiveHost.Inference.Tests", "Fixtures", "test_wav2lip.onnx"),
            TranscriptPath = transcript,
            VisemeModelPath = RepositoryFile("onnx-models", "viseme", "viseme-v1.onnx"),
            SigningKeyPem = privateKey,
            Consent = new ConsentRecord
            {
                Id = "perf-consent",
                Subject = "Synthetic Test Face (not a person)",
                Scope = [ConsentRecord.LivestreamScope],
                IssuedAt = now.AddDays(-1),
                ExpiresAt = now.AddDays(30),
                Issuer = "LiveHost benchmarks",
                KeyId = KeyId,
                RecordingSha256 = AvatarPackageLoader.Sha256Of(source),
            },
        }, cancellationToken);
        var verifier = new ConsentVerifier(new ConsentOptions { TrustedKeys = { [KeyId] = publicKeyPath } });
        return new RealisticTestPackage(root, build.PackageDirectory, verifier, publicKeyPath,
            video is null ? $"synthetic face video (labelled, {seconds:0.#} s)" : Path.GetFileName(video)) { Build = build, Truth = truth };
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LiveHost.sln"))) directory = directory.Parent;
        return directory?.FullName ?? System.IO.Directory.GetCurrentDirectory();
    }

    public void Dispose()
    {
        Verifier.Dispose();
        try
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
