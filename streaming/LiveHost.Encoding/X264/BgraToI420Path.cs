namespace LiveHost.Encoding.X264;

/// <summary>
/// Which loop <see cref="BgraToI420"/> converts with. All three give the same bytes (the vector loops do the scalar
/// loop's integer arithmetic lane by lane); they differ only in speed. <see cref="BgraToI420.FastestPath"/> is what the encoder uses;
/// tests and <c>perf ... bgra-i420</c> name each one to compare them.
/// </summary>
public enum BgraToI420Path
{
    /// <summary>One 2x2 block at a time.</summary>
    Scalar,

    /// <summary>8 pixels of two rows at a time (SSE2 / NEON).</summary>
    Vector128,

    /// <summary>16 pixels of two rows at a time (AVX2).</summary>
    Vector256,
}
