using LiveHost.Avatars.Packages;
using LiveHost.Speech;

namespace LiveHost.Avatars.Realistic.Atlas;

/// <summary>One frame that may become a mouth sample: its viseme, crop (cell-size RGBA) and what makes it good.</summary>
public sealed record MouthCandidate(Viseme Viseme, int Frame, FaceBox Face, float Confidence, float Sharpness, byte[] Rgba, float Motion);

/// <summary>
/// Keeps the best frames per viseme while the recording is read, then picks <c>perViseme</c> of them. Score: the
/// confidence (the model's probability for the aligned viseme, halved when only one neighbour carries the same label
/// and quartered when none does: transition frames are less sure) × sharpness (relative to the sharpest candidate of that viseme) ×
/// neutral pose, where pose is how far the face box's size and aspect are from the recording's median and how much
/// the head moved since the previous frame (a turned, tilted or moving head changes the box). Picks are at least
/// half a second apart, so the samples come from different moments.
/// </summary>
public sealed class MouthSampleSelector(int perViseme, double fps)
{
    private const int KeepPerViseme = 48;
    private readonly List<MouthCandidate>[] _candidates = [.. Enumerable.Range(0, VisemeAligner.Classes).Select(_ => new List<MouthCandidate>())];
    private readonly List<FaceBox> _faces = [];

    /// <summary>Every face box seen (for the median pose), whether or not its frame is a candidate.</summary>
    public void SeeFace(FaceBox face) => _faces.Add(face);

    public void Offer(MouthCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var list = _candidates[(int)candidate.Viseme];
        list.Add(candidate);
        if (list.Count > 2 * KeepPerViseme)
        {
            list.Sort((a, b) => Prescore(b).CompareTo(Prescore(a)));
            list.RemoveRange(KeepPerViseme, list.Count - KeepPerViseme);
        }
    }

    private static float Prescore(MouthCandidate c) => c.Confidence * c.Sharpness / (1 + 10 * c.Motion);

    /// <summary>The chosen samples, grouped by viseme in enum order, best first.</summary>
    public IReadOnlyList<MouthCandidate> Choose()
    {
        var medianWidth = Median(_faces.Select(f => (float)f.Width));
        var medianAspect = Median(_faces.Select(f => f.Height / (float)f.Width));
        var apart = Math.Max(1, (int)Math.Round(fps / 2));
        var chosen = new List<MouthCandidate>();
        foreach (var list in _candidates)
        {
            if (list.Count == 0) continue;
            var sharpest = Math.Max(1e-3f, list.Max(c => c.Sharpness));
            float Score(MouthCandidate c)
            {
                var pose = Math.Abs(c.Face.Width / medianWidth - 1) + Math.Abs(c.Face.Height / (float)c.Face.Width / medianAspect - 1) + c.Motion;
                return c.Confidence * (c.Sharpness / sharpest) * MathF.Exp(-8 * pose);
            }
            var picked = new List<MouthCandidate>();
            foreach (var candidate in list.OrderByDescending(Score))
            {
                if (picked.Count == perViseme) break;
                if (picked.Any(p => Math.Abs(p.Frame - candidate.Frame) < apart)) continue;
                picked.Add(candidate);
            }
            chosen.AddRange(picked);
        }
        return chosen;
    }

    private static float Median(IEnumerable<float> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 1 : Math.Max(1e-3f, sorted[sorted.Length / 2]);
    }

    /// <summary>Variance of the 4-neighbour Laplacian of the grey levels of an RGBA image: how sharp it is.</summary>
    public static float Sharpness(ReadOnlySpan<byte> rgba, int width, int height)
    {
        double sum = 0, squares = 0;
        var count = 0;
        for (var y = 1; y < height - 1; y++)
        {
            for (var x = 1; x < width - 1; x++)
            {
                var laplacian = 4 * Grey(rgba, width, x, y) - Grey(rgba, width, x - 1, y) - Grey(rgba, width, x + 1, y)
                    - Grey(rgba, width, x, y - 1) - Grey(rgba, width, x, y + 1);
                sum += laplacian;
                squares += laplacian * laplacian;
                count++;
            }
        }
        if (count == 0) return 0;
        var mean = sum / count;
        return (float)(squares / count - mean * mean);
    }

    private static float Grey(ReadOnlySpan<byte> rgba, int width, int x, int y)
    {
        var i = 4 * (y * width + x);
        return 0.299f * rgba[i] + 0.587f * rgba[i + 1] + 0.114f * rgba[i + 2];
    }
}
