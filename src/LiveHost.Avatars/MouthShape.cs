namespace LiveHost.Avatars;

/// <summary>
/// How the presenter's mouth looks, as a handful of numbers that can be blended: any two shapes have a smooth
/// path between them, which is what lets the mouth glide from one viseme to the next instead of snapping.
/// </summary>
/// <param name="Open">Jaw opening, 0 (lips together) to 1 (wide open "ah").</param>
/// <param name="Width">Mouth width relative to the resting smile, about 0.5 (pursed "oo") to 1.2 (spread "ee").</param>
/// <param name="Roundness">0 for a flat, wide opening; 1 for a round "o".</param>
/// <param name="Teeth">How much of the upper teeth shows, 0..1.</param>
/// <param name="Tongue">How much of the tongue shows, 0..1.</param>
public readonly record struct MouthShape(float Open, float Width, float Roundness, float Teeth, float Tongue)
{
    /// <summary>Lips together in a relaxed smile: the shape at rest and between words.</summary>
    public static MouthShape Closed { get; } = new(0f, 1f, 0.2f, 0f, 0f);

    public static MouthShape Lerp(in MouthShape from, in MouthShape to, float amount) => new(
        from.Open + (to.Open - from.Open) * amount,
        from.Width + (to.Width - from.Width) * amount,
        from.Roundness + (to.Roundness - from.Roundness) * amount,
        from.Teeth + (to.Teeth - from.Teeth) * amount,
        from.Tongue + (to.Tongue - from.Tongue) * amount);
}
