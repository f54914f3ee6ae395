using LiveHost.Speech;

namespace LiveHost.Avatars.Packages;

/// <summary>
/// The <c>atlas</c> of a package manifest: mouth samples cut from the consented recording, several per
/// <see cref="Viseme"/>, each the <see cref="Region"/> of that frame's face box resized to
/// <see cref="CellWidth"/>x<see cref="CellHeight"/> (so a sample fits any face box: it is stored normalised to the face).
/// Example:
/// <code>
/// "lipSync": "atlas",
/// "atlas": { "cellWidth": 128, "cellHeight": 80, "region": [0.2, 0.58, 0.6, 0.37], "sha256": "...",
///            "alignment": "dtw-espeak-vs-viseme-model",
///            "samples": [ { "viseme": "AA", "path": "atlas/aa-0.png", "frame": 1234, "confidence": 0.93, "sharpness": 412.5 }, ... ] }
/// </code>
/// Samples are PNG files inside the package; <see cref="Sha256"/> is the SHA-256 over their bytes in the listed order,
/// written by the builder, so a sample swapped or edited afterwards makes the package refused at load, as for frames.
/// Everything here is derived from the recording and covered by the package's consent.
/// </summary>
public sealed record MouthAtlas
{
    public const int MaxSamples = 512;
    public const int MaxCellSide = 512;

    public int CellWidth { get; init; }

    public int CellHeight { get; init; }

    /// <summary>The part of the face box a sample shows (fractions of the box), usually <see cref="FaceTrack.MouthRegion"/>.</summary>
    public RelativeRegion Region { get; init; } = RelativeRegion.DefaultMouth;

    /// <summary>How the recording's frames were labelled with visemes, for the record (e.g. <c>dtw-espeak-vs-viseme-model</c>).</summary>
    public string Alignment { get; init; } = "";

    /// <summary>Lower-case hex SHA-256 over the sample files' bytes, in the order of <see cref="Samples"/>.</summary>
    public string Sha256 { get; init; } = "";

    public IReadOnlyList<MouthSample> Samples { get; init; } = [];

    /// <summary>What is wrong with these fields (not the files), or null when nothing is.</summary>
    public string? FindProblem()
    {
        if (CellWidth is <= 0 or > MaxCellSide || CellHeight is <= 0 or > MaxCellSide)
        {
            return $"atlas cell {CellWidth}x{CellHeight} is outside 1..{MaxCellSide}";
        }
        if (!Region.IsValid) return "atlas.region is not a region inside the face box";
        // JSON may say null for any of these: a refusal, never a crash.
        var count = Samples?.Count ?? 0;
        if (count is 0 or > MaxSamples) return $"atlas has {count} samples; 1..{MaxSamples} are allowed";
        for (var i = 0; i < count; i++)
        {
            var sample = Samples![i];
            if (sample is null) return $"atlas.samples[{i}] is null";
            if (sample.Viseme is null || !Enum.TryParse<Viseme>(sample.Viseme, ignoreCase: false, out var viseme) || !Enum.IsDefined(viseme) || int.TryParse(sample.Viseme, out _))
            {
                return $"atlas.samples[{i}].viseme '{sample.Viseme}' is not one of {string.Join(", ", Enum.GetNames<Viseme>())}";
            }
            if (!FramePathPattern.IsSafeRelativePath(sample.Path)) return $"atlas.samples[{i}].path '{sample.Path}' must be relative and stay inside the package";
        }
        if (!Samples!.Any(s => s.Viseme == nameof(Viseme.Silence))) return "atlas has no Silence sample (the closed mouth shown between words)";
        if (Sha256 is not { Length: 64 } || !Sha256.All(Uri.IsHexDigit)) return "atlas.sha256 is not 64 hex digits";
        return null;
    }
}

/// <summary>One mouth sample: the viseme it shows, its PNG, and why it was chosen.</summary>
/// <param name="Frame">The recording frame (at the package's fps, from the recording's start) it was cut from.</param>
/// <param name="Confidence">
/// The audio viseme model's probability for this viseme on that frame, after alignment; halved when only one
/// neighbouring frame has the same viseme, quartered when none has (a transition frame).
/// </param>
/// <param name="Sharpness">Variance of the Laplacian of the sample's grey levels (higher: sharper).</param>
public sealed record MouthSample(string Viseme, string Path, int Frame, float Confidence, float Sharpness);
