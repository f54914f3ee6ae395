using LiveHost.Avatars.Packages;

namespace LiveHost.Avatars.Realistic.FaceDetection;

/// <summary>
/// One face found by BlazeFace. Coordinates are fractions (0..1) of the detector's square input, y down, until
/// <see cref="BlazeFaceDetector"/> maps them to image pixels. Key points: right eye, left eye, nose tip, mouth
/// centre, right ear, left ear (the subject's right and left).
/// </summary>
public readonly record struct FaceDetection(
    float CenterX, float CenterY, float Width, float Height, float Score, KeyPoints KeyPoints)
{
    public float Left => CenterX - Width / 2;

    public float Top => CenterY - Height / 2;

    public float Area => Math.Max(0, Width) * Math.Max(0, Height);

    /// <summary>Intersection over union of the two boxes (0 when either is empty).</summary>
    public float IntersectionOverUnion(in FaceDetection other)
    {
        var left = Math.Max(Left, other.Left);
        var top = Math.Max(Top, other.Top);
        var right = Math.Min(Left + Width, other.Left + other.Width);
        var bottom = Math.Min(Top + Height, other.Top + other.Height);
        var inner = Math.Max(0, right - left) * Math.Max(0, bottom - top);
        var union = Area + other.Area - inner;
        return union <= 0 ? 0 : inner / union;
    }

    /// <summary>The same detection with every coordinate mapped by x' = x*scaleX + offsetX (and likewise y).</summary>
    public FaceDetection Map(float scaleX, float offsetX, float scaleY, float offsetY) => new(
        CenterX * scaleX + offsetX, CenterY * scaleY + offsetY, Width * scaleX, Height * scaleY, Score,
        KeyPoints.Map(scaleX, offsetX, scaleY, offsetY));

    /// <summary>
    /// The box a talking-head package stores, in pixels: BlazeFace's box runs from the brows to the mouth, so it is
    /// widened by 10% a side and extended 25% down to take in the chin and jaw (what Wav2Lip regenerates), clamped
    /// to the frame. Call on a detection already mapped to pixels.
    /// </summary>
    public FaceBox ToPackageBox(int frameWidth, int frameHeight)
    {
        var left = Left - 0.10f * Width;
        var right = Left + 1.10f * Width;
        var top = Top - 0.05f * Height;
        var bottom = Top + 1.25f * Height;
        var x = (int)MathF.Round(Math.Clamp(left, 0, frameWidth - 1));
        var y = (int)MathF.Round(Math.Clamp(top, 0, frameHeight - 1));
        var r = (int)MathF.Round(Math.Clamp(right, x + 1, frameWidth));
        var b = (int)MathF.Round(Math.Clamp(bottom, y + 1, frameHeight));
        return new FaceBox(x, y, r - x, b - y);
    }
}

/// <summary>BlazeFace's six key points.</summary>
public readonly record struct KeyPoints(
    float RightEyeX, float RightEyeY, float LeftEyeX, float LeftEyeY, float NoseX, float NoseY,
    float MouthX, float MouthY, float RightEarX, float RightEarY, float LeftEarX, float LeftEarY)
{
    public KeyPoints Map(float scaleX, float offsetX, float scaleY, float offsetY) => new(
        RightEyeX * scaleX + offsetX, RightEyeY * scaleY + offsetY, LeftEyeX * scaleX + offsetX, LeftEyeY * scaleY + offsetY,
        NoseX * scaleX + offsetX, NoseY * scaleY + offsetY, MouthX * scaleX + offsetX, MouthY * scaleY + offsetY,
        RightEarX * scaleX + offsetX, RightEarY * scaleY + offsetY, LeftEarX * scaleX + offsetX, LeftEarY * scaleY + offsetY);

    /// <summary>Weighted sum helper for merging overlapping detections.</summary>
    internal static KeyPoints Blend(in KeyPoints a, float wa, in KeyPoints b, float wb) => new(
        a.RightEyeX * wa + b.RightEyeX * wb, a.RightEyeY * wa + b.RightEyeY * wb,
        a.LeftEyeX * wa + b.LeftEyeX * wb, a.LeftEyeY * wa + b.LeftEyeY * wb,
        a.NoseX * wa + b.NoseX * wb, a.NoseY * wa + b.NoseY * wb,
        a.MouthX * wa + b.MouthX * wb, a.MouthY * wa + b.MouthY * wb,
        a.RightEarX * wa + b.RightEarX * wb, a.RightEarY * wa + b.RightEarY * wb,
        a.LeftEarX * wa + b.LeftEarX * wb, a.LeftEarY * wa + b.LeftEarY * wb);
}
