using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Building;
using LiveHost.Avatars.Realistic.FaceDetection;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.Actions;

/// <summary>What the action step of a build found, per action: the cuts and the recording's typical frame-to-frame change.</summary>
/// <param name="MedianStep">The median difference between consecutive idle-loop frames (thumbnails), for comparison with the cuts.</param>
public sealed record ActionBuildResult(IReadOnlyList<PackageAction> Actions, float MedianStep);

/// <summary>
/// Cuts a package's actions from the consented recording. One pass over the recording from its start (the same frame
/// numbering as the idle loop): the idle loop's frames become thumbnails, and each action's frames from half a search
/// window before its start to half a window after its end are kept (JPEG, face box). For each action
/// <see cref="ActionCutFinder"/> picks the entry frame near the start and the exit frame near the end where the picture
/// best matches an idle frame; the frames between them (inclusive) are written to <c>actions/{name}/%05d.jpg</c>.
/// Offline tool code.
/// </summary>
public sealed class ActionSegmentWriter(FfmpegFrameReader reader)
{
    public const string Folder = "actions";

    public async Task<ActionBuildResult> WriteAsync(AvatarBuildOptions options, string output, int width, int height, int idleFrames,
        Func<SKBitmap, FaceBox?> findFace, FaceBox fallback, List<string> warnings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(findFace);
        var fps = options.Fps;
        var window = Math.Max(1, (int)Math.Round(options.ActionSearchSeconds * fps));
        var segments = options.Actions.Select(a => (Request: a, Start: (int)Math.Round(a.StartSeconds * fps),
            End: Math.Max((int)Math.Round(a.StartSeconds * fps) + 1, (int)Math.Round(a.EndSeconds * fps)))).ToArray();
        var last = segments.Max(s => s.End - 1 + window);

        var idle = new List<byte[]>(idleFrames);
        var kept = new Dictionary<int, Kept>();
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var frames = await reader.ReadAsync(options.VideoPath, width, height, fps, (last + 2) / fps, (rgba, index) =>
        {
            if (index < idleFrames) idle.Add(ActionCutFinder.Thumbnail(rgba, width, height));
            if (!segments.Any(s => index >= s.Start - window && index <= s.End - 1 + window)) return;
            rgba.AsSpan().CopyTo(bitmap.GetPixelSpan());
            bitmap.NotifyPixelsChanged();
            using var image = SKImage.FromBitmap(bitmap);
            using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, options.JpegQuality);
            kept[index] = new Kept(jpeg.ToArray(), ActionCutFinder.Thumbnail(rgba, width, height), findFace(bitmap));
        }, cancellationToken);
        if (idle.Count == 0) throw new InvalidOperationException("The recording has no idle-loop frames to join actions to.");

        var actions = new List<PackageAction>();
        foreach (var (request, start, end) in segments)
        {
            if (start >= frames)
            {
                throw new InvalidOperationException(
                    $"Action '{request.Name}' starts at {request.StartSeconds} s, but the recording is {frames / fps:0.##} s long.");
            }
            var entry = ActionCutFinder.BestEntry(idle, Window(kept, start - window, start + window), start);
            var lastFrame = Math.Min(end - 1, frames - 1);
            var exit = ActionCutFinder.BestExit(idle, Window(kept, Math.Max(entry.Frame, lastFrame - window), lastFrame + window), lastFrame);
            actions.Add(Write(options, output, request.Name, start, end, entry, exit, kept, width, height, fallback, warnings));
        }
        return new ActionBuildResult(actions, ActionCutFinder.MedianStep(idle));
    }

    private static IEnumerable<(int Frame, byte[] Thumbnail)> Window(Dictionary<int, Kept> kept, int from, int to)
    {
        for (var frame = Math.Max(0, from); frame <= to; frame++)
        {
            if (kept.TryGetValue(frame, out var k)) yield return (frame, k.Thumbnail);
        }
    }

    private static PackageAction Write(AvatarBuildOptions options, string output, string name, int start, int end,
        ActionCutFinder.Cut entry, ActionCutFinder.Cut exit, Dictionary<int, Kept> kept, int width, int height, FaceBox fallback, List<string> warnings)
    {
        var relative = $"{Folder}/{name}/%05d.jpg";
        if (!FramePathPattern.TryParse(relative, out var pattern)) throw new InvalidOperationException($"Action name '{name}' makes no frame path.");
        Directory.CreateDirectory(Path.Combine(output, Folder, name));
        var files = new List<string>();
        var raw = new List<FaceBox?>();
        for (var frame = entry.Frame; frame <= exit.Frame; frame++)
        {
            var file = Path.Combine(output, pattern.PathOf(frame - entry.Frame));
            File.WriteAllBytes(file, kept[frame].Jpeg);
            files.Add(file);
            raw.Add(kept[frame].Face);
        }
        var boxes = FaceTrackSmoother.Smooth(raw, options.SmoothingRadius, width, height);
        if (boxes is null)
        {
            warnings.Add($"No face was found in action '{name}'; lip sync leaves its recorded mouth.");
            boxes = Enumerable.Repeat(fallback, raw.Count).ToArray();
        }
        return new PackageAction
        {
            Name = name,
            Source = new FrameRange { Start = start, End = end },
            Entry = new ActionCut { Frame = entry.Frame, IdleFrame = entry.IdleFrame, Difference = MathF.Round(entry.Difference, 3) },
            Exit = new ActionCut { Frame = exit.Frame, IdleFrame = exit.IdleFrame, Difference = MathF.Round(exit.Difference, 3) },
            Frames = relative,
            Count = files.Count,
            Boxes = boxes,
            NoFace = Enumerable.Range(0, raw.Count).Where(i => raw[i] is null).ToArray(),
            Sha256 = AvatarPackageLoader.FramesSha256(files),
        };
    }

    private sealed record Kept(byte[] Jpeg, byte[] Thumbnail, FaceBox? Face);
}
