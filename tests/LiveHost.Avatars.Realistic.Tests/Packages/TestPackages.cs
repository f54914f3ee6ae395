using System.Text.Json;
using LiveHost.Avatars.Packages;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.Tests.Packages;

/// <summary>
/// Writes small, valid avatar packages and the keys to trust them, so each test can break exactly one thing.
/// Frames are a flat background with a face-coloured ellipse whose shade changes per frame (to tell frames apart).
/// </summary>
public sealed class TestPackages : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly TestDirectory _directory = new();

    public TestPackages()
    {
        (PrivateKeyPem, PublicKeyPem) = ConsentSigner.CreateKeyPair();
        PublicKeyPath = _directory.File("issuer.pub.pem");
        File.WriteAllText(PublicKeyPath, PublicKeyPem);
        RevocationListPath = _directory.File("revoked.json");
        ConsentRevocationList.Write(RevocationListPath, []);
    }

    public string PrivateKeyPem { get; }

    public string PublicKeyPem { get; }

    public string PublicKeyPath { get; }

    public string RevocationListPath { get; }

    public string Root => _directory.Path;

    public ConsentOptions Options => new()
    {
        TrustedKeys = new() { ["test-issuer"] = PublicKeyPath },
        RevocationListPath = RevocationListPath,
    };

    public ConsentVerifier Verifier() => new(Options);

    /// <summary>Stands for the recorded video every test consent covers (its bytes are never decoded).</summary>
    public static readonly byte[] Recording = System.Text.Encoding.UTF8.GetBytes("LiveHost test recording: not a video, only hashed");

    public static string RecordingSha256 => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Recording));

    public static ConsentRecord UnsignedConsent(string id = "consent-1") => new()
    {
        RecordingSha256 = RecordingSha256,
        Id = id,
        Subject = "Test Subject 测试",
        Scope = [ConsentRecord.LivestreamScope],
        IssuedAt = Now.AddDays(-1),
        ExpiresAt = Now.AddDays(30),
        Issuer = "LiveHost tests",
        KeyId = "test-issuer",
    };

    public ConsentRecord SignedConsent(string id = "consent-1") => ConsentSigner.Sign(UnsignedConsent(id), PrivateKeyPem);

    /// <summary>Writes a package; <paramref name="edit"/> may change the manifest before it is written.</summary>
    public string Write(string name = "pkg", int frames = 6, int width = 64, int height = 48,
        Func<AvatarPackageManifest, AvatarPackageManifest>? edit = null, byte[]? model = null)
    {
        var directory = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.Combine(directory, "frames"));
        for (var i = 0; i < frames; i++) WriteFrame(Path.Combine(directory, $"frames/{i:D5}.jpg"), width, height, i);
        PackageModels? models = null;
        if (model is not null)
        {
            Directory.CreateDirectory(Path.Combine(directory, "models"));
            File.WriteAllBytes(Path.Combine(directory, "models/lipsync.onnx"), model);
            models = new PackageModels
            {
                LipSync = new ModelReference
                {
                    Contract = "wav2lip-96", Path = "models/lipsync.onnx",
                    Sha256 = AvatarPackageLoader.Sha256Of(Path.Combine(directory, "models/lipsync.onnx")),
                },
            };
        }
        var face = new FaceBox(width / 4, height / 6, width / 2, height * 2 / 3);
        var manifest = new AvatarPackageManifest
        {
            FormatVersion = 1, Id = name, DisplayName = "Test", Kind = AvatarPackageManifest.RealisticKind, Fps = 25,
            Width = width, Height = height,
            Frames = new FrameSource { Source = "frames/%05d.jpg", Count = frames, Loop = FrameSource.PingPong },
            Faces = new FaceTrack { Detector = "test", Boxes = Enumerable.Repeat(face, frames).ToArray() },
            Models = models,
            Consent = SignedConsent(),
            Recording = new PackageRecording
            {
                Sha256 = RecordingSha256,
                FramesSha256 = AvatarPackageLoader.FramesSha256(Enumerable.Range(0, frames).Select(i => Path.Combine(directory, $"frames/{i:D5}.jpg"))),
            },
        };
        if (edit is not null) manifest = edit(manifest);
        WriteManifest(directory, manifest);
        return directory;
    }

    /// <summary>
    /// Records the package's current frames as the ones made from the recording (for tests that draw their own frames
    /// in place of the generated ones, as a builder would have).
    /// </summary>
    public static void RecordFrames(string directory)
    {
        var manifest = JsonSerializer.Deserialize<AvatarPackageManifest>(File.ReadAllBytes(Path.Combine(directory, AvatarPackageManifest.FileName)),
            AvatarPackageJson.Options)!;
        var files = Enumerable.Range(0, manifest.Frames!.Count).Select(i => Path.Combine(directory, $"frames/{i:D5}.jpg"));
        WriteManifest(directory, manifest with { Recording = manifest.Recording! with { FramesSha256 = AvatarPackageLoader.FramesSha256(files) } });
    }

    public static void WriteManifest(string directory, AvatarPackageManifest manifest) =>
        File.WriteAllBytes(Path.Combine(directory, AvatarPackageManifest.FileName),
            JsonSerializer.SerializeToUtf8Bytes(manifest, AvatarPackageJson.Options));

    public static void WriteFrame(string path, int width, int height, int index)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(40, 60, 90));
            using var paint = new SKPaint { Color = new SKColor(220, (byte)(150 + index * 10 % 100), 130), IsAntialias = true };
            canvas.DrawOval(width / 2f, height / 2f, width / 4f, height / 3f, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        File.WriteAllBytes(path, data.ToArray());
    }

    public void Dispose() => _directory.Dispose();
}
