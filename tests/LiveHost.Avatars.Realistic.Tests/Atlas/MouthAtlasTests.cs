using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Atlas;
using LiveHost.Avatars.Realistic.Building;
using LiveHost.Avatars.Realistic.FaceDetection;
using LiveHost.Avatars.Realistic.Tests.Packages;
using LiveHost.Avatars.TestSupport;
using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;
using Xunit.Abstractions;

namespace LiveHost.Avatars.Realistic.Tests.Atlas;

/// <summary>
/// The mouth atlas end to end on a LABELLED SYNTHETIC recording (<see cref="VisemeFaceRecording"/>): espeak-ng reads
/// the transcript slower than the builder's espeak does, over a drawn face whose mouth has a known shape per viseme.
/// The package is built from it, loaded, and drawn for another sentence.
/// </summary>
public sealed class MouthAtlasTests(ITestOutputHelper output) : IDisposable
{
    private const int Width = 480;
    private const int Height = 360;
    private const int Fps = 25;

    private readonly TestPackages _keys = new();
    private readonly TestDirectory _work = new();

    [Fact]
    public async Task An_atlas_built_from_a_recording_and_its_transcript_shows_each_spoken_viseme_s_shape_and_a_closed_mouth_when_idle()
    {
        var recording = await VisemeFaceRecording.WriteAsync(_work.File("recording.mp4"), VisemeFaceRecording.SampleTranscript, Width, Height, Fps, wordsPerMinute: 140, pauseSeconds: 0.8);
        var transcript = _work.File("transcript.txt");
        await File.WriteAllLinesAsync(transcript, VisemeFaceRecording.SampleTranscript);

        var result = await new AvatarPackageBuilder().BuildAsync(new AvatarBuildOptions
        {
            VideoPath = recording.Path, OutputDirectory = _work.File("pkg"), SigningKeyPem = _keys.PrivateKeyPem, Time = new FakeTimeProvider(TestPackages.Now),
            Consent = TestPackages.UnsignedConsent() with { RecordingSha256 = AvatarPackageLoader.Sha256Of(recording.Path) },
            Width = Width, Seconds = 4, Fps = Fps, TranscriptPath = transcript,
            FaceModelPath = BlazeFaceDetector.DefaultModelPath(TestDirectory.RepositoryRoot),
            VisemeModelPath = Path.Combine(TestDirectory.RepositoryRoot, "onnx-models", "viseme", "viseme-v1.onnx"),
        });
        foreach (var warning in result.Warnings) output.WriteLine("warning: " + warning);
        var atlas = result.Atlas!;
        ReportAlignment(recording.Truth, atlas);

        // The samples kept were cut from frames that show their viseme.
        var samples = result.Manifest.Atlas!.Samples;
        var right = samples.Count(s => recording.Truth[s.Frame].ToString() == s.Viseme);
        output.WriteLine($"atlas: {samples.Count} samples, {right} cut from a frame showing their viseme");
        Assert.True(right >= 0.9 * samples.Count, $"only {right} of {samples.Count} samples show their viseme");

        using var verifier = _keys.Verifier();
        var package = AvatarPackageLoader.Load(result.PackageDirectory, verifier, new FakeTimeProvider(TestPackages.Now));
        Assert.Equal(AvatarPackageManifest.AtlasLipSync, package.Manifest.LipSync);
        // Without the atlas the idle loop would show an open mouth: it was cut from frames where the person speaks.
        Assert.Contains(recording.Truth.Take(package.FrameCount), v => v != Viseme.Silence);

        var (spoken, speakingFrom, speakingTo) = await SpokenAsync("Fresh coffee is waiting for you: order today and share the joy.");
        var shown = Render(package, spoken, speakingFrom, speakingTo);

        var speaking = Enumerable.Range(speakingFrom, speakingTo - speakingFrom).ToArray();
        var matched = speaking.Count(i => shown[i] == spoken[i]);
        output.WriteLine($"speaking frames showing the expected viseme's shape: {matched} of {speaking.Length} ({100.0 * matched / speaking.Length:0.0}%)");
        output.WriteLine("missed: " + string.Join(", ", speaking.Where(i => shown[i] != spoken[i]).Select(i => $"{i} {spoken[i]}->{shown[i]}")));
        Assert.True(matched >= 0.85 * speaking.Length, $"{matched} of {speaking.Length} speaking frames show the expected shape");
        var idle = Enumerable.Range(0, spoken.Length).Where(i => i < speakingFrom || i >= speakingTo).ToArray();
        Assert.All(idle, i => Assert.Equal(Viseme.Silence, shown[i]));

        // A/V: the shapes line up best with the sound they were drawn for within one frame.
        var lags = Enumerable.Range(-3, 7).Select(lag => (lag, score: speaking.Count(i => i + lag >= 0 && i + lag < shown.Length && shown[i + lag] == spoken[i]))).ToArray();
        output.WriteLine("matches by lag (frames): " + string.Join(", ", lags.Select(l => $"{l.lag}: {l.score}")));
        Assert.InRange(lags.MaxBy(l => l.score).lag, -1, 1);
    }

    /// <summary>How well each labelling agrees with the drawn truth on the frames where the mouth is open.</summary>
    private void ReportAlignment(Viseme[] truth, MouthAtlasBuildResult atlas)
    {
        var frames = Enumerable.Range(0, Math.Min(truth.Length, atlas.Labels.Length)).Where(i => truth[i] != Viseme.Silence).ToArray();
        double Agreement(Viseme[] labels) => frames.Count(i => labels[i] == truth[i]) / (double)frames.Length;
        output.WriteLine($"labels vs truth on {frames.Length} speaking frames: DTW {Agreement(atlas.Labels):P1}, " +
            $"model alone {Agreement(atlas.ModelLabels):P1}, transcript stretched evenly {Agreement(atlas.StretchedLabels):P1}");
    }

    /// <summary>A line as the engine would drive the mouth: espeak's visemes per frame, speaking between the first and last sound.</summary>
    private static async Task<(Viseme[] Visemes, int From, int To)> SpokenAsync(string line)
    {
        using var speech = new EspeakSynthesizer(Options.Create(new SpeechOptions()), NullLogger<EspeakSynthesizer>.Instance);
        var visemes = await new TranscriptVisemes(speech).ReferenceAsync([line], "en", Fps, CancellationToken.None);
        var from = Array.FindIndex(visemes, v => v != Viseme.Silence);
        var to = Array.FindLastIndex(visemes, v => v != Viseme.Silence) + 1;
        return (visemes, from, to);
    }

    /// <summary>Draws each frame at the package's size and reads back the mouth shape shown.</summary>
    private static Viseme?[] Render(AvatarPackage package, Viseme[] visemes, int speakingFrom, int speakingTo)
    {
        using var avatar = new RealisticAvatar(package);
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Bgra8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        var radius = VisemeFaceRecording.FaceRadius(Width, Height);
        var shown = new Viseme?[visemes.Length];
        for (var i = 0; i < visemes.Length; i++)
        {
            var speaking = i >= speakingFrom && i < speakingTo;
            avatar.Render(new AvatarFrame(i, i / (double)Fps, visemes[i], speaking ? 0.5f : 0, speaking), canvas, Width, Height);
            canvas.Flush();
            var face = avatar.LastFaceRect;
            var region = package.Atlas!.Region;
            var mouth = SKRectI.Round(new SKRect(face.Left + region.X * face.Width, face.Top + region.Y * face.Height,
                face.Left + (region.X + region.Width) * face.Width, face.Top + (region.Y + region.Height) * face.Height));
            shown[i] = MouthShapeReader.Classify(bitmap, mouth, radius);
        }
        return shown;
    }

    public void Dispose()
    {
        _work.Dispose();
        _keys.Dispose();
    }
}
