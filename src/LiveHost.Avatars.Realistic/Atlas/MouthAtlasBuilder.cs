using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Building;
using LiveHost.Inference.Models;
using LiveHost.Speech;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.Atlas;

/// <summary>What <see cref="MouthAtlasBuilder"/> cuts an atlas from, and into which package folder.</summary>
public sealed record MouthAtlasRequest
{
    public required string VideoPath { get; init; }

    public required string PackageDirectory { get; init; }

    /// <summary>The sentences read in the recording, one per line, in order.</summary>
    public required IReadOnlyList<string> Transcript { get; init; }

    /// <summary>"en" or "zh": the espeak-ng voice that turns the transcript into phonemes.</summary>
    public string Language { get; init; } = "en";

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required double Fps { get; init; }

    /// <summary>The part of the face box a sample covers: <see cref="LowerFace"/> unless told otherwise.</summary>
    public RelativeRegion Region { get; init; } = MouthAtlasBuilder.LowerFace;

    public int SamplesPerViseme { get; init; } = 4;

    public int CellWidth { get; init; } = 128;

    public int CellHeight { get; init; } = 80;

    public string FfmpegPath { get; init; } = "ffmpeg";

    public string FfprobePath { get; init; } = "ffprobe";
}

/// <summary>
/// What an atlas build found. <see cref="Labels"/> is the viseme each recording frame was given (transcript warped
/// onto the audio); <see cref="ModelLabels"/> what the audio model alone says, and <see cref="StretchedLabels"/> the
/// transcript stretched evenly without listening: kept so the alignment can be measured against both.
/// </summary>
public sealed record MouthAtlasBuildResult(
    MouthAtlas Atlas, Viseme[] Labels, Viseme[] ModelLabels, Viseme[] StretchedLabels, IReadOnlyList<string> Warnings);

/// <summary>
/// Builds a package's mouth atlas from the consented recording and its transcript: the transcript's visemes
/// (<see cref="TranscriptVisemes"/>) are warped onto the audio viseme model's per-frame probabilities
/// (<see cref="RecordingVisemes"/>, <see cref="VisemeAligner"/>), every frame of the recording is read with its face
/// box, the mouth region of frames in the middle of a viseme is cut out normalised to the face (a fixed cell size),
/// and the sharpest, most confident, most neutral ones (<see cref="MouthSampleSelector"/>) are written as
/// <c>atlas/&lt;viseme&gt;-&lt;n&gt;.png</c>. Offline tool code.
/// </summary>
public sealed class MouthAtlasBuilder(ISpeechSynthesizer speech, VisemeModel visemes)
{
    public const string Folder = "atlas";
    public const string AlignmentName = "dtw-espeak-vs-viseme-model";

    /// <summary>
    /// The lower face, from below the eyes to the chin (fractions of the face box): larger than the manifest's
    /// mouth region, so the mouth sits in the opaque middle of the feathered sample whatever the detector's box
    /// includes (BlazeFace's box on a face with hair puts the mouth near 60% of its height, on a bare face near 75%).
    /// </summary>
    public static RelativeRegion LowerFace { get; } = new(0.15f, 0.40f, 0.7f, 0.55f);

    /// <param name="findFace">The face box on a frame (package pixels), or null when there is none.</param>
    public async Task<MouthAtlasBuildResult> BuildAsync(MouthAtlasRequest request, Func<SKBitmap, FaceBox?> findFace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(findFace);
        if (request.Transcript.All(string.IsNullOrWhiteSpace)) throw new InvalidOperationException("The transcript is empty: the mouth atlas needs the sentences read.");
        var recording = new RecordingVisemes(visemes, request.FfmpegPath);
        var audio = await recording.ReadAudioAsync(request.VideoPath, cancellationToken);
        var frames = (int)Math.Floor(audio.Length * request.Fps / RecordingVisemes.SampleRate);
        var probabilities = await recording.ProbabilitiesAsync(audio, request.Fps, frames, cancellationToken);
        var reference = await new TranscriptVisemes(speech).ReferenceAsync(request.Transcript, request.Language, request.Fps, cancellationToken);
        var labels = VisemeAligner.Align(reference, probabilities);

        var selector = new MouthSampleSelector(request.SamplesPerViseme, request.Fps);
        await ReadCandidatesAsync(request, labels, probabilities, selector, findFace, cancellationToken);
        var chosen = selector.Choose();

        var atlas = Write(request, chosen);
        var warnings = new List<string>();
        var missing = Enum.GetValues<Viseme>().Where(v => chosen.All(c => c.Viseme != v)).ToArray();
        if (missing.Length > 0)
        {
            warnings.Add($"The mouth atlas has no sample for {string.Join(", ", missing)} (too few clear frames of it in the recording); " +
                "those visemes borrow the nearest shape. Record more sentences to fill them.");
        }
        return new MouthAtlasBuildResult(atlas, labels, VisemeAligner.ArgMax(probabilities), VisemeAligner.Stretch(reference, frames), warnings);
    }

    private static async Task ReadCandidatesAsync(MouthAtlasRequest request, Viseme[] labels, float[] probabilities, MouthSampleSelector selector,
        Func<SKBitmap, FaceBox?> findFace, CancellationToken cancellationToken)
    {
        var (width, height) = (request.Width, request.Height);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var frameImage = SKImage.FromPixels(bitmap.PeekPixels());
        using var cell = new SKBitmap(new SKImageInfo(request.CellWidth, request.CellHeight, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var cellCanvas = new SKCanvas(cell);
        using var paint = new SKPaint { IsAntialias = false, BlendMode = SKBlendMode.Src };
        var sampling = new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None);
        FaceBox? previous = null;
        var reader = new FfmpegFrameReader(request.FfmpegPath, request.FfprobePath);
        var seconds = labels.Length / request.Fps + 1;
        await reader.ReadAsync(request.VideoPath, width, height, request.Fps, seconds, (rgba, index) =>
        {
            if (index >= labels.Length) return;
            rgba.AsSpan().CopyTo(bitmap.GetPixelSpan());
            bitmap.NotifyPixelsChanged();
            // No face found: not a candidate (a box guessed for it would cut the wrong pixels).
            if (findFace(bitmap) is not { } face) return;
            selector.SeeFace(face);
            var motion = previous is { } last ? (Math.Abs(face.X - last.X) + Math.Abs(face.Y - last.Y)) / (float)face.Width : 0;
            previous = face;
            var viseme = labels[index];
            // Frames inside a run of their viseme are surer than transition frames; short visemes (t, d) rarely last
            // three frames, so those compete too, at a discount.
            var neighbours = (index > 0 && labels[index - 1] == viseme ? 1 : 0) + (index < labels.Length - 1 && labels[index + 1] == viseme ? 1 : 0);
            var mouth = face.Part(request.Region);
            cellCanvas.DrawImage(frameImage, new SKRect(mouth.X, mouth.Y, mouth.Right, mouth.Bottom),
                new SKRect(0, 0, request.CellWidth, request.CellHeight), sampling, paint);
            cellCanvas.Flush();
            var pixels = cell.GetPixelSpan().ToArray();
            var confidence = probabilities[index * VisemeAligner.Classes + (int)viseme] * (neighbours == 2 ? 1f : neighbours == 1 ? 0.5f : 0.25f);
            selector.Offer(new MouthCandidate(viseme, index, face, confidence,
                MouthSampleSelector.Sharpness(pixels, request.CellWidth, request.CellHeight), pixels, motion));
        }, cancellationToken);
    }

    private static MouthAtlas Write(MouthAtlasRequest request, IReadOnlyList<MouthCandidate> chosen)
    {
        Directory.CreateDirectory(Path.Combine(request.PackageDirectory, Folder));
        var samples = new List<MouthSample>();
        var files = new List<string>();
        var counts = new int[VisemeAligner.Classes];
        var info = new SKImageInfo(request.CellWidth, request.CellHeight, SKColorType.Rgba8888, SKAlphaType.Premul);
        foreach (var candidate in chosen)
        {
            var relative = $"{Folder}/{candidate.Viseme.ToString().ToLowerInvariant()}-{counts[(int)candidate.Viseme]++}.png";
            var file = Path.Combine(request.PackageDirectory, relative);
            using (var image = SKImage.FromPixelCopy(info, candidate.Rgba))
            using (var png = image.Encode(SKEncodedImageFormat.Png, 100))
            using (var stream = File.Create(file))
            {
                png.SaveTo(stream);
            }
            files.Add(file);
            samples.Add(new MouthSample(candidate.Viseme.ToString(), relative, candidate.Frame, MathF.Round(candidate.Confidence, 4), MathF.Round(candidate.Sharpness, 1)));
        }
        if (samples.All(s => s.Viseme != nameof(Viseme.Silence)))
        {
            throw new InvalidOperationException("The recording has no clear closed-mouth (silent) frame for the mouth atlas: start or end it with a second of silence.");
        }
        return new MouthAtlas
        {
            CellWidth = request.CellWidth,
            CellHeight = request.CellHeight,
            Region = request.Region,
            Alignment = AlignmentName,
            Samples = samples,
            Sha256 = MouthAtlasFiles.Sha256(files),
        };
    }
}
