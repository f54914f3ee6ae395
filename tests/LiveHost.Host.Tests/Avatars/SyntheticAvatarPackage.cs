using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Building;
using LiveHost.Avatars.TestSupport;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>
/// One avatar package for the avatar host tests, built the way an operator would: a 2 s synthetic face video through
/// <see cref="AvatarPackageBuilder"/> (BlazeFace, or the centre box when it finds no face), the analytic Wav2Lip
/// fixture as its lip-sync model, and a consent signed with a P-256 key made here, whose public half the tests trust.
/// </summary>
public sealed class SyntheticAvatarPackage : IAsyncLifetime
{
    public const string KeyId = "test-issuer";
    public const string ConsentId = "consent-host-test";

    /// <summary>The action the (non-atlas) package has, cut from its recording.</summary>
    public const string ActionName = "nod";

    public string Root { get; } = Directory.CreateTempSubdirectory("livehost-package-").FullName;

    public string PackageDirectory => Path.Combine(Root, "package");

    public string PublicKeyPath => Path.Combine(Root, "issuer.pub.pem");

    /// <summary>
    /// A second package, <c>lipSync: atlas</c>: built with a transcript from a LABELLED SYNTHETIC viseme-face recording
    /// (<see cref="VisemeFaceRecording"/>), under its own consent record with the same id, <see cref="ConsentId"/>.
    /// </summary>
    public string AtlasPackageDirectory => Path.Combine(Root, "atlas-package");

    /// <summary>Another issuer's public key under the same key id (the signature will not verify against it).</summary>
    public string OtherPublicKeyPath => Path.Combine(Root, "other.pub.pem");

    public AvatarBuildResult Build { get; private set; } = null!;

    /// <summary>The issuer's private key (PKCS#8 PEM) the package's consent was signed with.</summary>
    public string PrivateKeyPem { get; private set; } = "";

    /// <summary>
    /// A copy of the package whose manifest has id <paramref name="packageId"/> and a consent signed anew for the same
    /// recording under consent id <paramref name="consentId"/> (the frames, and so their digest, are unchanged).
    /// </summary>
    public string CopyUnderNewConsent(string packageId, string consentId)
    {
        var copy = Path.Combine(Root, $"package-{packageId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(copy, "frames"));
        foreach (var file in Directory.EnumerateFiles(PackageDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(PackageDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var manifest = Build.Manifest with
        {
            Id = packageId,
            Consent = ConsentSigner.Sign(Build.Manifest.Consent! with { Id = consentId, Signature = null }, PrivateKeyPem),
        };
        File.WriteAllBytes(Path.Combine(copy, AvatarPackageManifest.FileName),
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(manifest, AvatarPackageJson.Options));
        return copy;
    }

    public async Task InitializeAsync()
    {
        var (privateKey, publicKey) = ConsentSigner.CreateKeyPair();
        PrivateKeyPem = privateKey;
        await File.WriteAllTextAsync(PublicKeyPath, publicKey);
        await File.WriteAllTextAsync(OtherPublicKeyPath, ConsentSigner.CreateKeyPair().PublicKeyPem);
        var video = Path.Combine(Root, "synthetic.mp4");
        await SyntheticFaceVideo.WriteAsync(video, 320, 240, 25, 2, SyntheticVideoContent.StillLipsFace);
        Build = await BuildAsync(video, PackageDirectory, "synthetic-host-test", privateKey, atlas: false);
        var atlasVideo = Path.Combine(Root, "viseme-face.mp4");
        await VisemeFaceRecording.WriteAsync(atlasVideo, VisemeFaceRecording.SampleTranscript[..3], 320, 240, 25, 160, 0.6);
        await BuildAsync(atlasVideo, AtlasPackageDirectory, "synthetic-atlas-host-test", privateKey, atlas: true);
    }

    private async Task<AvatarBuildResult> BuildAsync(string video, string output, string id, string privateKey, bool atlas)
    {
        string? transcript = null;
        if (atlas)
        {
            transcript = Path.Combine(Root, "transcript.txt");
            await File.WriteAllLinesAsync(transcript, VisemeFaceRecording.SampleTranscript[..3]);
        }
        var now = DateTimeOffset.UtcNow;
        return await new AvatarPackageBuilder().BuildAsync(new AvatarBuildOptions
        {
            TranscriptPath = transcript,
            VisemeModelPath = TestPaths.VisemeModel,
            VideoPath = video,
            OutputDirectory = output,
            Id = id,
            Width = 320,
            Seconds = 2,
            Fps = 25,
            FaceModelPath = TestPaths.BlazeFace,
            LipSyncModelPath = atlas ? null : TestPaths.Wav2LipFixture,
            // A short nod cut from inside the recording itself (it overlaps the idle loop): enough to play an action.
            Actions = atlas ? [] : [new LiveHost.Avatars.Realistic.Actions.ActionRequest(ActionName, 0.8, 1.4)],
            SigningKeyPem = privateKey,
            Consent = new ConsentRecord
            {
                Id = ConsentId,
                Subject = "Synthetic Test Face (not a person)",
                Scope = [ConsentRecord.LivestreamScope],
                IssuedAt = now.AddDays(-1),
                ExpiresAt = now.AddDays(30),
                Issuer = "LiveHost host tests",
                KeyId = KeyId,
                RecordingSha256 = AvatarPackageLoader.Sha256Of(video),
            },
        });
    }

    /// <summary>Host settings that show this package in room main, trusting <paramref name="trustedKey"/> and reading revocations from <paramref name="revocationList"/>.</summary>
    public Dictionary<string, string> Settings(string revocationList, string? trustedKey = null, string? package = null) => new()
    {
        ["Rooms:main:Avatar"] = package ?? PackageDirectory,
        [$"Avatars:TrustedKeys:{KeyId}"] = trustedKey ?? PublicKeyPath,
        ["Avatars:RevocationListPath"] = revocationList,
        ["Avatars:LipSyncWaitMilliseconds"] = "200",
    };

    /// <summary>A fresh, empty revocation list file.</summary>
    public string NewRevocationList()
    {
        var path = Path.Combine(Root, $"revoked-{Guid.NewGuid():N}.json");
        ConsentRevocationList.Write(path, []);
        return path;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }
}
