using System.Text.Json;
using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Atlas;
using LiveHost.Avatars.Realistic.FaceDetection;
using LiveHost.Inference;
using LiveHost.Inference.Models;
using LiveHost.Inference.Onnx;
using LiveHost.Speech;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.Building;

/// <summary>
/// Makes an avatar package from a recorded video of the person: ffmpeg decodes the first seconds at the package
/// size and rate; BlazeFace finds the face on every frame (largest, most confident); the track is smoothed; frames
/// are written as JPEGs and the manifest records the boxes, the ping-pong loop, an optional lip-sync model pinned
/// by hash, and the signed consent. With a transcript it also cuts a mouth atlas from the whole recording
/// (<see cref="MouthAtlasBuilder"/>). A package is never written without a signed consent record.
/// </summary>
public sealed class AvatarPackageBuilder
{
    public const string FramePattern = "frames/%05d.jpg";
    public const string DetectorName = "blazeface-front-128";
    public const string FallbackDetectorName = "fallback-center";

    private readonly ILogger<AvatarPackageBuilder> _logger;

    public AvatarPackageBuilder(ILogger<AvatarPackageBuilder>? logger = null)
    {
        _logger = logger ?? NullLogger<AvatarPackageBuilder>.Instance;
    }

    public async Task<AvatarBuildResult> BuildAsync(AvatarBuildOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<string>();
        var output = Path.GetFullPath(options.OutputDirectory);
        // Everything that can refuse the build is checked before a key is used, a frame decoded or a folder made.
        var consent = await CheckBeforeBuildingAsync(options, output, warnings, cancellationToken);

        var created = !Directory.Exists(output);
        try
        {
            return await WriteAsync(options, output, consent, warnings, cancellationToken);
        }
        catch
        {
            // A failed build leaves nothing behind: not a half-written package, not an empty folder.
            RemoveOutput(output, created);
            throw;
        }
    }

    /// <summary>The consent to write into the package (signed), or an exception saying why nothing may be built.</summary>
    private static async Task<ConsentRecord> CheckBeforeBuildingAsync(AvatarBuildOptions options, string output, List<string> warnings,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(options.VideoPath)) throw new InvalidOperationException($"The recording {options.VideoPath} does not exist.");
        if (options.LipSyncModelPath is { } model && !File.Exists(model))
        {
            throw new InvalidOperationException($"The lip-sync model {model} does not exist.");
        }
        if (options.TranscriptPath is { } transcript)
        {
            if (!File.Exists(transcript)) throw new InvalidOperationException($"The transcript {transcript} does not exist.");
            if (options.VisemeModelPath is not { } visemes || !File.Exists(visemes))
            {
                throw new InvalidOperationException($"The mouth atlas needs the audio viseme model; {options.VisemeModelPath ?? "none"} does not exist (--viseme-model).");
            }
            if (options.TranscriptLanguage is not ("en" or "zh")) throw new InvalidOperationException($"The transcript language must be en or zh, not '{options.TranscriptLanguage}'.");
            if (options.AtlasSamplesPerViseme is < 1 or > 32) throw new InvalidOperationException($"Samples per viseme must be 1..32 (was {options.AtlasSamplesPerViseme}).");
        }
        if (Actions.ActionRequest.FindProblems(options.Actions) is { Count: > 0 } actionProblems)
        {
            throw new InvalidOperationException("The actions are refused: " + string.Join("; ", actionProblems) + ".");
        }
        if (options.ActionSearchSeconds is not (> 0 and <= 5)) throw new InvalidOperationException($"The action search window must be 0-5 s (was {options.ActionSearchSeconds}).");
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw new InvalidOperationException($"{output} is not empty; a package is built into a new folder.");
        }
        var consent = options.Consent;
        var problems = ConsentRecordChecks.FindProblems(consent, options.Time.GetUtcNow());
        if (problems.Count > 0) throw new InvalidOperationException("The consent record is refused: " + string.Join("; ", problems) + ".");
        var signed = !string.IsNullOrWhiteSpace(consent.Signature);
        if (!signed && options.SigningKeyPem is null)
        {
            throw new InvalidOperationException("The consent record is not signed: pass the issuer's signing key (--key).");
        }
        if (signed && options.SigningKeyPem is not null)
        {
            warnings.Add($"Consent '{consent.Id}' is already signed; it is used as signed (signing it again would change the signature a revocation may name).");
        }

        var recording = await Sha256OfAsync(options.VideoPath, cancellationToken);
        if (!string.Equals(recording, consent.RecordingSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Consent '{consent.Id}' covers the recording with SHA-256 {consent.RecordingSha256!.ToLowerInvariant()}; {options.VideoPath} is {recording}. " +
                "A package is only built from the recording its consent names.");
        }
        return signed ? consent : ConsentSigner.Sign(consent, options.SigningKeyPem!);
    }

    private async Task<AvatarBuildResult> WriteAsync(AvatarBuildOptions options, string output, ConsentRecord consent, List<string> warnings,
        CancellationToken cancellationToken)
    {
        var pattern = FramePathPattern.TryParse(FramePattern, out var parsed) ? parsed : throw new InvalidOperationException();
        Directory.CreateDirectory(Path.Combine(output, "frames"));

        var reader = new FfmpegFrameReader(options.FfmpegPath, options.FfprobePath);
        var (sourceWidth, sourceHeight) = await reader.ProbeSizeAsync(options.VideoPath, cancellationToken);
        var width = options.Width;
        var height = FfmpegFrameReader.HeightFor(width, sourceWidth, sourceHeight);

        using var detector = OpenDetector(options.FaceModelPath, warnings);
        var raw = new List<FaceBox?>();
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var count = await reader.ReadAsync(options.VideoPath, width, height, options.Fps, options.Seconds, (rgba, index) =>
        {
            rgba.AsSpan().CopyTo(bitmap.GetPixelSpan());
            bitmap.NotifyPixelsChanged();
            raw.Add(detector is null ? null : BestFace(detector, bitmap, options.DetectionThreshold, width, height));
            using var image = SKImage.FromBitmap(bitmap);
            using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, options.JpegQuality);
            using var file = File.Create(Path.Combine(output, pattern.PathOf(index)));
            jpeg.SaveTo(file);
        }, cancellationToken);
        if (count == 0) throw new InvalidOperationException($"ffmpeg decoded no frames from {options.VideoPath}.");

        var detected = raw.Count(box => box is not null);
        var boxes = FaceTrackSmoother.Smooth(raw, options.SmoothingRadius, width, height);
        var detectorName = DetectorName;
        if (boxes is null)
        {
            var fallback = new FaceBox(0, 0, width, height).Part(options.FallbackFace);
            warnings.Add($"No face was found in any of the {count} frames; every frame uses the fallback face box {fallback} " +
                "(fractions " + options.FallbackFace + " of the frame). Check the package before going live.");
            boxes = Enumerable.Repeat(fallback, count).ToArray();
            detectorName = FallbackDetectorName;
        }
        else if (detected < count)
        {
            warnings.Add($"A face was found in {detected} of {count} frames; the others were interpolated from their neighbours.");
        }

        var atlas = options.TranscriptPath is null ? null
            : await BuildAtlasAsync(options, output, width, height, detector, boxes[0], detectorName == FallbackDetectorName, cancellationToken);
        if (atlas is not null) warnings.AddRange(atlas.Warnings);
        var useFallback = detectorName == FallbackDetectorName || detector is null;
        var actions = options.Actions.Count == 0 ? null
            : await new Actions.ActionSegmentWriter(reader).WriteAsync(options, output, width, height, count,
                frame => useFallback ? null : BestFace(detector!, frame, options.DetectionThreshold, width, height), boxes[0], warnings, cancellationToken);

        var manifest = new AvatarPackageManifest
        {
            FormatVersion = AvatarPackageManifest.CurrentFormatVersion,
            Id = options.Id ?? Path.GetFileName(output.TrimEnd(Path.DirectorySeparatorChar)),
            DisplayName = options.DisplayName ?? consent.Subject,
            Kind = AvatarPackageManifest.RealisticKind,
            Fps = options.Fps,
            Width = width,
            Height = height,
            Frames = new FrameSource { Source = FramePattern, Count = count, Loop = FrameSource.PingPong },
            Faces = new FaceTrack { Detector = detectorName, MouthRegion = RelativeRegion.DefaultMouth, Boxes = boxes },
            Models = CopyModels(options, output),
            Consent = consent,
            Recording = new PackageRecording
            {
                Sha256 = consent.RecordingSha256!.ToLowerInvariant(),
                FramesSha256 = AvatarPackageLoader.FramesSha256(Enumerable.Range(0, count).Select(i => Path.Combine(output, pattern.PathOf(i)))),
            },
            LipSync = atlas is null ? null : AvatarPackageManifest.AtlasLipSync,
            Atlas = atlas?.Atlas,
            Actions = actions?.Actions,
        };
        await File.WriteAllBytesAsync(Path.Combine(output, AvatarPackageManifest.FileName),
            JsonSerializer.SerializeToUtf8Bytes(manifest, AvatarPackageJson.Options), cancellationToken);
        foreach (var warning in warnings) _logger.LogWarning("{Warning}", warning);
        _logger.LogInformation("Built avatar package {Id}: {Count} frames {Width}x{Height}, face found in {Detected}",
            manifest.Id, count, width, height, detected);
        return new AvatarBuildResult(output, manifest, detected, warnings, atlas, actions);
    }

    /// <summary>The mouth atlas from the whole recording: espeak-ng and the viseme model run here, offline.</summary>
    private static async Task<MouthAtlasBuildResult> BuildAtlasAsync(AvatarBuildOptions options, string output, int width, int height,
        BlazeFaceDetector? detector, FaceBox fallback, bool useFallback, CancellationToken cancellationToken)
    {
        var transcript = await File.ReadAllLinesAsync(options.TranscriptPath!, cancellationToken);
        using var speech = new EspeakSynthesizer(Options.Create(new SpeechOptions()), NullLogger<EspeakSynthesizer>.Instance);
        using var models = new OnnxModelHost(Options.Create(new InferenceOptions { PreferGpu = false }), NullLoggerFactory.Instance);
        var builder = new MouthAtlasBuilder(speech, new VisemeModel(models, options.VisemeModelPath!));
        var request = new MouthAtlasRequest
        {
            VideoPath = options.VideoPath, PackageDirectory = output, Transcript = transcript, Language = options.TranscriptLanguage,
            Width = width, Height = height, Fps = options.Fps, SamplesPerViseme = options.AtlasSamplesPerViseme,
            FfmpegPath = options.FfmpegPath, FfprobePath = options.FfprobePath,
        };
        // Without a detector every frame has the fallback box; with one, a frame whose face is not found is skipped.
        return await builder.BuildAsync(request,
            frame => useFallback || detector is null ? fallback : BestFace(detector, frame, options.DetectionThreshold, width, height), cancellationToken);
    }

    private static async Task<string> Sha256OfAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellationToken));
    }

    private static void RemoveOutput(string output, bool created)
    {
        try
        {
            if (created)
            {
                if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
                return;
            }
            foreach (var entry in new DirectoryInfo(output).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo folder) folder.Delete(recursive: true);
                else entry.Delete();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure is what the caller needs to see.
        }
    }

    private static BlazeFaceDetector? OpenDetector(string? modelPath, List<string> warnings)
    {
        if (string.IsNullOrEmpty(modelPath) || !File.Exists(modelPath))
        {
            warnings.Add($"The BlazeFace model ({modelPath ?? "not given"}) is not available; faces are not detected.");
            return null;
        }
        return new BlazeFaceDetector(modelPath);
    }

    /// <summary>The most confident face (ties: the largest), as the box a package stores.</summary>
    private static FaceBox? BestFace(BlazeFaceDetector detector, SKBitmap frame, float threshold, int width, int height)
    {
        var faces = detector.Detect(frame, threshold);
        if (faces.Count == 0) return null;
        var best = faces.MaxBy(face => face.Score * 10 + face.Area / (width * (float)height));
        return best.ToPackageBox(width, height);
    }

    private static PackageModels? CopyModels(AvatarBuildOptions options, string output)
    {
        if (options.LipSyncModelPath is null) return null;
        const string relative = "models/lipsync.onnx";
        var target = Path.Combine(output, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(options.LipSyncModelPath, target);
        return new PackageModels
        {
            LipSync = new ModelReference { Contract = "wav2lip-96", Path = relative, Sha256 = AvatarPackageLoader.Sha256Of(target) },
        };
    }
}
