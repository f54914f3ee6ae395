namespace LiveHost.Encoding.X264;

/// <summary>
/// BGRA (what the compositor draws) to I420 (what H.264 Constrained Baseline codes), BT.601 limited range: the
/// matrix ffmpeg's swscale applies by default for <c>bgra</c> to <c>yuv420p</c> and what an unsignalled H.264 stream
/// is decoded with, so colours look the same whichever encoder a room runs. Chroma is the mean of each 2x2 block.
/// Fixed point, integer only; width and height must be even (<see cref="LiveHost.Media.MediaFormat"/> ensures it).
/// </summary>
public static unsafe class BgraToI420
{
    /// <summary>Converts into three planes; each stride is the distance between rows of that plane in bytes.</summary>
    public static void Convert(ReadOnlySpan<byte> bgra, int width, int height, Span<byte> y, int yStride, Span<byte> u, int uStride, Span<byte> v, int vStride)
    {
        Check(bgra.Length, width, height);
        if (yStride < width || uStride < width / 2 || vStride < width / 2) throw new ArgumentException("a plane stride is narrower than the picture");
        if (y.Length < yStride * (height - 1) + width) throw new ArgumentException("the luma plane is too small", nameof(y));
        var chromaRows = height / 2;
        if (u.Length < uStride * (chromaRows - 1) + width / 2) throw new ArgumentException("the U plane is too small", nameof(u));
        if (v.Length < vStride * (chromaRows - 1) + width / 2) throw new ArgumentException("the V plane is too small", nameof(v));
        fixed (byte* src = bgra)
        fixed (byte* py = y)
        fixed (byte* pu = u)
        fixed (byte* pv = v)
        {
            Convert(src, width, height, py, yStride, pu, uStride, pv, vStride);
        }
    }

    /// <summary>
    /// The same into native planes (x264's picture buffers). The caller guarantees the planes are as large as
    /// their strides say; the source is checked.
    /// </summary>
    internal static void Convert(ReadOnlySpan<byte> bgra, int width, int height, byte* y, int yStride, byte* u, int uStride, byte* v, int vStride)
    {
        Check(bgra.Length, width, height);
        fixed (byte* src = bgra)
        {
            Convert(src, width, height, y, yStride, u, uStride, v, vStride);
        }
    }

    private static void Check(int length, int width, int height)
    {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0) throw new ArgumentException($"width and height must be positive and even, not {width}x{height}");
        if (length < width * height * 4) throw new ArgumentException($"a {width}x{height} BGRA frame needs {width * height * 4} bytes, got {length}");
    }

    private static void Convert(byte* src, int width, int height, byte* y, int yStride, byte* u, int uStride, byte* v, int vStride)
    {
        var srcStride = width * 4;
        for (var row = 0; row < height; row += 2)
        {
            var top = src + row * srcStride;
            var bottom = top + srcStride;
            var yTop = y + row * yStride;
            var yBottom = yTop + yStride;
            var uRow = u + (row >> 1) * uStride;
            var vRow = v + (row >> 1) * vStride;
            for (var x = 0; x < width; x += 2)
            {
                var o = x * 4;
                int b0 = top[o], g0 = top[o + 1], r0 = top[o + 2];
                int b1 = top[o + 4], g1 = top[o + 5], r1 = top[o + 6];
                int b2 = bottom[o], g2 = bottom[o + 1], r2 = bottom[o + 2];
                int b3 = bottom[o + 4], g3 = bottom[o + 5], r3 = bottom[o + 6];
                yTop[x] = Luma(r0, g0, b0);
                yTop[x + 1] = Luma(r1, g1, b1);
                yBottom[x] = Luma(r2, g2, b2);
                yBottom[x + 1] = Luma(r3, g3, b3);

                int r = r0 + r1 + r2 + r3, g = g0 + g1 + g2 + g3, b = b0 + b1 + b2 + b3;
                // The sums are four pixels' worth: shift by 8 + 2 and round at that scale.
                uRow[x >> 1] = (byte)(((-38 * r - 74 * g + 112 * b + 512) >> 10) + 128);
                vRow[x >> 1] = (byte)(((112 * r - 94 * g - 18 * b + 512) >> 10) + 128);
            }
        }
    }

    private static byte Luma(int r, int g, int b) => (byte)(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
}
