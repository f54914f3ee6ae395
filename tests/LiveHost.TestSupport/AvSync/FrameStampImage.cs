namespace LiveHost.TestSupport.AvSync;

/// <summary>
/// Reads the frame stamp (<c>LiveHost.Avatars.FrameStampOverlay</c>) from a grey image of just its two rows of 26
/// blocks, scaled so that each block is <paramref name="block"/> pixels square (e.g. ffmpeg's
/// <c>crop=...,scale=104:8:flags=area,format=gray</c> for 4). Same rule as the page decoder: the marker columns must
/// read white/white then black/black, and each bit's pair must differ clearly.
/// </summary>
public static class FrameStampImage
{
    public const int Columns = 26;
    public const int Bits = 24;

    /// <returns>The stamped value, or -1 when the image does not hold a clean stamp.</returns>
    public static int Decode(ReadOnlySpan<byte> gray, int block)
    {
        if (gray.Length < Columns * block * 2 * block) return -1;
        if (!(Luma(gray, block, 0, 0) > 160 && Luma(gray, block, 0, 1) > 160 && Luma(gray, block, 1, 0) < 96 && Luma(gray, block, 1, 1) < 96)) return -1;
        var value = 0;
        for (var b = 0; b < Bits; b++)
        {
            double top = Luma(gray, block, 2 + b, 0), bottom = Luma(gray, block, 2 + b, 1);
            if (Math.Abs(top - bottom) < 64) return -1;
            value = value * 2 + (top > bottom ? 1 : 0);
        }
        return value;
    }

    // Mean of a block's inner half (its edges smear under compression and scaling).
    private static double Luma(ReadOnlySpan<byte> gray, int block, int column, int row)
    {
        var width = Columns * block;
        var q = block / 4;
        double sum = 0;
        var n = 0;
        for (var y = row * block + q; y < row * block + block - q; y++)
        {
            for (var x = column * block + q; x < column * block + block - q; x++) { sum += gray[y * width + x]; n++; }
        }
        return sum / n;
    }
}
