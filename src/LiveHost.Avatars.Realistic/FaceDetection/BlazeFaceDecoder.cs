namespace LiveHost.Avatars.Realistic.FaceDetection;

/// <summary>
/// Turns BlazeFace's raw outputs into faces: sigmoid the score logits, keep those above the threshold, decode each
/// box against its anchor (<see cref="BlazeFaceAnchors"/>: centre = anchor + offset/128, size = size/128, key points
/// likewise), then merge overlapping boxes (IoU &gt;= 0.3) into their score-weighted mean, keeping the highest
/// score, as MediaPipe's "weighted non-max suppression" (and the package's <c>Postprocess2.compute</c>) does.
/// Coordinates come out as fractions of the square input, y down. Pure and allocation-light; thread-safe.
/// </summary>
public static class BlazeFaceDecoder
{
    public const float DefaultScoreThreshold = 0.75f;
    public const float MergeOverlap = 0.3f;
    private const int Stride = 16;

    /// <param name="scores1">Head 1 logits, 512.</param>
    /// <param name="boxes1">Head 1 regressions, 512 x 16.</param>
    /// <param name="scores2">Head 2 logits, 384.</param>
    /// <param name="boxes2">Head 2 regressions, 384 x 16.</param>
    public static List<FaceDetection> Decode(
        ReadOnlySpan<float> scores1, ReadOnlySpan<float> boxes1, ReadOnlySpan<float> scores2, ReadOnlySpan<float> boxes2,
        float threshold = DefaultScoreThreshold)
    {
        if (scores1.Length != BlazeFaceAnchors.Head1Count || boxes1.Length != BlazeFaceAnchors.Head1Count * Stride
            || scores2.Length != BlazeFaceAnchors.Head2Count || boxes2.Length != BlazeFaceAnchors.Head2Count * Stride)
        {
            throw new ArgumentException("BlazeFace outputs must be 512, 512x16, 384 and 384x16 floats.");
        }
        var candidates = new List<FaceDetection>();
        Collect(scores1, boxes1, 0, threshold, candidates);
        Collect(scores2, boxes2, BlazeFaceAnchors.Head1Count, threshold, candidates);
        return Merge(candidates);
    }

    /// <summary>Decodes one anchor's 16 regressions (fractions of the input, y down).</summary>
    public static FaceDetection DecodeAnchor(int anchorIndex, ReadOnlySpan<float> regression, float score)
    {
        var (ax, ay) = BlazeFaceAnchors.Center(anchorIndex);
        const float scale = 1f / BlazeFaceAnchors.InputSize;
        Span<float> p = stackalloc float[Stride];
        for (var i = 0; i < Stride; i += 2)
        {
            p[i] = ax + regression[i] * scale;
            p[i + 1] = ay + regression[i + 1] * scale;
        }
        return new FaceDetection(
            p[0], p[1], regression[2] * scale, regression[3] * scale, score,
            new KeyPoints(p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15]));
    }

    public static float Sigmoid(float logit) => 1f / (1f + MathF.Exp(-Math.Clamp(logit, -80f, 80f)));

    private static void Collect(ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, int firstAnchor, float threshold, List<FaceDetection> into)
    {
        for (var i = 0; i < scores.Length; i++)
        {
            var score = Sigmoid(scores[i]);
            if (score <= threshold) continue;
            into.Add(DecodeAnchor(firstAnchor + i, boxes.Slice(i * Stride, Stride), score));
        }
    }

    /// <summary>Score-weighted merge of overlapping detections, best first.</summary>
    public static List<FaceDetection> Merge(List<FaceDetection> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var used = new bool[candidates.Count];
        var merged = new List<FaceDetection>();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (used[i]) continue;
            var best = candidates[i];
            float weight = best.Score, cx = best.CenterX * weight, cy = best.CenterY * weight, w = best.Width * weight, h = best.Height * weight;
            var keys = KeyPoints.Blend(best.KeyPoints, weight, default, 0);
            for (var j = i + 1; j < candidates.Count; j++)
            {
                if (used[j] || best.IntersectionOverUnion(candidates[j]) < MergeOverlap) continue;
                used[j] = true;
                var other = candidates[j];
                var s = other.Score;
                cx += other.CenterX * s;
                cy += other.CenterY * s;
                w += other.Width * s;
                h += other.Height * s;
                keys = KeyPoints.Blend(keys, 1, other.KeyPoints, s);
                weight += s;
            }
            var inverse = 1f / weight;
            merged.Add(new FaceDetection(cx * inverse, cy * inverse, w * inverse, h * inverse, best.Score,
                KeyPoints.Blend(keys, inverse, default, 0)));
        }
        return merged;
    }
}
