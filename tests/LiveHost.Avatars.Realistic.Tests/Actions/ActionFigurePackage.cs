using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Actions;
using LiveHost.Avatars.Realistic.Building;
using LiveHost.Avatars.Realistic.FaceDetection;
using LiveHost.Avatars.Realistic.Tests.Packages;
using LiveHost.Avatars.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.Avatars.Realistic.Tests.Actions;

/// <summary>
/// One package built once for the action tests, the way an operator builds it: an 8 s LABELLED SYNTHETIC recording
/// (<see cref="ActionFigureRecording"/>: a drawn figure that raises its arm from 3.6 s to 6.4 s) through
/// <see cref="AvatarPackageBuilder"/> with a 2 s idle loop and <c>--action wave:4-6</c>, BlazeFace finding the drawn face.
/// </summary>
public sealed class ActionFigurePackage : IAsyncLifetime
{
    public const int Width = 320;
    public const int Height = 240;
    public const int Fps = 25;
    public const double Seconds = 8;
    public const double IdleSeconds = 2;
    public const double ActionStart = 4;
    public const double ActionEnd = 6;

    public TestPackages Keys { get; } = new();

    public TestDirectory Work { get; } = new();

    public string Video => Work.File("action-figure.mp4");

    public AvatarBuildResult Build { get; private set; } = null!;

    public AvatarPackage Package { get; private set; } = null!;

    /// <summary>Every frame of the recording as the builder decodes it (RGBA), index = recording frame.</summary>
    public IReadOnlyList<byte[]> Recording { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await ActionFigureRecording.WriteAsync(Video, Width, Height, Fps, Seconds);
        Build = await new AvatarPackageBuilder().BuildAsync(new AvatarBuildOptions
        {
            VideoPath = Video, OutputDirectory = Work.File("pkg"), Consent = TestPackages.UnsignedConsent() with { RecordingSha256 = AvatarPackageLoader.Sha256Of(Video) },
            SigningKeyPem = Keys.PrivateKeyPem, Width = Width, Seconds = IdleSeconds, Fps = Fps, Time = new FakeTimeProvider(TestPackages.Now),
            FaceModelPath = BlazeFaceDetector.DefaultModelPath(TestDirectory.RepositoryRoot),
            Actions = [new ActionRequest("wave", ActionStart, ActionEnd)],
        });
        using var verifier = Keys.Verifier();
        Package = AvatarPackageLoader.Load(Build.PackageDirectory, verifier, new FakeTimeProvider(TestPackages.Now));
        var frames = new List<byte[]>();
        await new FfmpegFrameReader().ReadAsync(Video, Width, Height, Fps, Seconds, (rgba, _) => frames.Add(rgba.ToArray()), CancellationToken.None);
        Recording = frames;
    }

    public Task DisposeAsync()
    {
        Keys.Dispose();
        Work.Dispose();
        return Task.CompletedTask;
    }
}
