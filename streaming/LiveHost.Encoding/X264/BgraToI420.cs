using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LiveHost.Media;

namespace LiveHost.Encoding.X264;

/// <summary>
/// BGRA (what the compositor draws) to I420 (what H.264 Constrained Baseline codes), BT.601 limited range: the
/// matrix ffmpeg's swscale applies by default for <c>bgra</c> to <c>yuv420p</c> and what an unsignalled H.264 stream
/// is decoded with, so colours look the same whichever encoder a room runs. Chroma is the mean of each 2x2 block.
/// Fixed point, integer only; width and height must be even (<see cref="LiveHost.Media.MediaFormat"/> ensures it).
/// The vector paths (<see cref="BgraToI420Path"/>) do the same arithmetic in SIMD lanes, 8 or 16 pixels of a row pair
/// at a time, and finish a row's last pixels with the scalar loop: a 720p frame costs about a tenth of the scalar
/// loop's time (<c>perf ... bgra-i420</c>).
/// </summary>
public static unsafe class BgraToI420
{
    /// <summary>The widest path this processor runs in hardware; what <see cref="Convert(ReadOnlySpan{byte}, int, int, Span{byte}, int, Span{byte}, int, Span{byte}, int)"/> uses.</summary>
    public static BgraToI420Path FastestPath { get; } =
        Vector256.IsHardwareAccelerated ? BgraToI420Path.Vector256
        : Vector128.IsHardwareAccelerated ? BgraToI420Path.Vector128
        : BgraToI420Path.Scalar;

    /// <summary>Converts into three planes; each stride is the distance between rows of that plane in bytes.</summary>
    public static void Convert(ReadOnlySpan<byte> bgra, int width, int height, Span<byte> y, int yStride, Span<byte> u, int uStride, Span<byte> v, int vStride) =>
        Convert(bgra, width, height, y, yStride, u, uStride, v, vStride, FastestPath);

    /// <summary>The same with a chosen path (tests and benchmarks compare them; every path gives the same bytes).</summary>
    public static void Convert(ReadOnlySpan<byte> bgra, int width, int height, Span<byte> y, int yStride, Span<byte> u, int uStride, Span<byte> v, int vStride, BgraToI420Path path)
    {
        if (!Enum.IsDefined(path)) throw new ArgumentOutOfRangeException(nameof(path), path, "not a conversion path");
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
            Convert(src, width, height, py, yStride, pu, uStride, pv, vStride, path);
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
            Convert(src, width, height, y, yStride, u, uStride, v, vStride, FastestPath);
        }
    }

    /// <summary>
    /// Converts only the rows the set marks (in pairs, as 4:2:0 chroma needs) into native planes that hold the previous
    /// frame's picture; the other rows keep what they had. The same bytes as a full conversion when the unmarked rows
    /// of <paramref name="bgra"/> are those the planes were converted from.
    /// </summary>
    internal static void Convert(ReadOnlySpan<byte> bgra, int width, int height, ChangedRows rows, byte* y, int yStride, byte* u, int uStride, byte* v, int vStride)
    {
        Check(bgra.Length, width, height);
        if (rows.Height != height) throw new ArgumentException($"the changed rows are for {rows.Height} rows, the frame has {height}", nameof(rows));
        fixed (byte* src = bgra)
        {
            foreach (var (start, end) in rows.Runs()) Convert(src, width, start, end, y, yStride, u, uStride, v, vStride, FastestPath);
        }
    }

    /// <summary>Converts rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) (both even) into native planes; the other rows keep what they had.</summary>
    internal static void ConvertRows(ReadOnlySpan<byte> bgra, int width, int height, int firstRow, int endRow, byte* y, int yStride, byte* u, int uStride, byte* v, int vStride)
    {
        Check(bgra.Length, width, height);
        if (firstRow < 0 || endRow > height || firstRow > endRow || (firstRow & 1) != 0 || (endRow & 1) != 0) throw new ArgumentOutOfRangeException(nameof(firstRow), $"rows [{firstRow}, {endRow}) are not even bounds within {height} rows");
        fixed (byte* src = bgra)
        {
            Convert(src, width, firstRow, endRow, y, yStride, u, uStride, v, vStride, FastestPath);
        }
    }

    private static void Check(int length, int width, int height)
    {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0) throw new ArgumentException($"width and height must be positive and even, not {width}x{height}");
        if (length < width * height * 4) throw new ArgumentException($"a {width}x{height} BGRA frame needs {width * height * 4} bytes, got {length}");
    }

    private static void Convert(byte* src, int width, int height, byte* y, int yStride, byte* u, int uStride, byte* v, int vStride, BgraToI420Path path) =>
        Convert(src, width, 0, height, y, yStride, u, uStride, v, vStride, path);

    // Rows [firstRow, endRow), both even. The row loops are optimized at their first call (AggressiveOptimization):
    // the tiered JIT's first tier neither inlines the vector helpers nor keeps vectors in registers, and while eight
    // rooms started at once that code ran for seconds (their video queues filled 4 s after the last room began).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Convert(byte* src, int width, int firstRow, int endRow, byte* y, int yStride, byte* u, int uStride, byte* v, int vStride, BgraToI420Path path)
    {
        var srcStride = width * 4;
        for (var row = firstRow; row < endRow; row += 2)
        {
            var top = src + row * srcStride;
            var bottom = top + srcStride;
            var yTop = y + row * yStride;
            var yBottom = yTop + yStride;
            var uRow = u + (row >> 1) * uStride;
            var vRow = v + (row >> 1) * vStride;
            var done = path switch
            {
                BgraToI420Path.Vector256 => RowPairVector256(top, bottom, yTop, yBottom, uRow, vRow, width),
                BgraToI420Path.Vector128 => RowPairVector128(top, bottom, yTop, yBottom, uRow, vRow, width),
                _ => 0,
            };
            RowPairScalar(top, bottom, yTop, yBottom, uRow, vRow, done, width);
        }
    }

    // The reference: every other path must give exactly these bytes.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowPairScalar(byte* top, byte* bottom, byte* yTop, byte* yBottom, byte* uRow, byte* vRow, int from, int width)
    {
        for (var x = from; x < width; x += 2)
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

    private static byte Luma(int r, int g, int b) => (byte)(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);

    // 16 pixels of each row per step. Luma fits 16-bit lanes (66 + 129 + 25 = 220; 220 * 255 + 128 < 65536, and the
    // shift is logical); the chroma sums of a 2x2 block need the sign and up to 112 * 1020, so they take 32-bit lanes.
    // Returns the first pixel not converted (the scalar loop does the rest of the row).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int RowPairVector256(byte* top, byte* bottom, byte* yTop, byte* yBottom, byte* uRow, byte* vRow, int width)
    {
        var x = 0;
        for (; x + 16 <= width; x += 16)
        {
            var o = x * 4;
            Channels(Vector256.Load((uint*)(top + o)), Vector256.Load((uint*)(top + o + 32)), out var rTop, out var gTop, out var bTop);
            Channels(Vector256.Load((uint*)(bottom + o)), Vector256.Load((uint*)(bottom + o + 32)), out var rBottom, out var gBottom, out var bBottom);

            // Top row's 16 luma bytes, then the bottom row's.
            var luma = Vector256.Narrow(Luma(rTop, gTop, bTop), Luma(rBottom, gBottom, bBottom));
            luma.GetLower().Store(yTop + x);
            luma.GetUpper().Store(yBottom + x);

            var r = BlockSums(rTop + rBottom);
            var g = BlockSums(gTop + gBottom);
            var b = BlockSums(bTop + bBottom);
            var cb = Vector256.ShiftRightArithmetic(b * 112 - r * 38 - g * 74 + Vector256.Create(512), 10) + Vector256.Create(128);
            var cr = Vector256.ShiftRightArithmetic(r * 112 - g * 94 - b * 18 + Vector256.Create(512), 10) + Vector256.Create(128);
            // 8 Cb bytes, then 8 Cr bytes (values 16..240, so narrowing keeps them).
            var chroma = Vector256.Narrow(Vector256.Narrow(cb, cr).AsUInt16(), Vector256<ushort>.Zero).AsUInt64();
            Unsafe.WriteUnaligned(uRow + (x >> 1), chroma.GetElement(0));
            Unsafe.WriteUnaligned(vRow + (x >> 1), chroma.GetElement(1));
        }
        return x;
    }

    // 8 pixels of each row per step; the same arithmetic as RowPairVector256.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int RowPairVector128(byte* top, byte* bottom, byte* yTop, byte* yBottom, byte* uRow, byte* vRow, int width)
    {
        var x = 0;
        for (; x + 8 <= width; x += 8)
        {
            var o = x * 4;
            Channels(Vector128.Load((uint*)(top + o)), Vector128.Load((uint*)(top + o + 16)), out var rTop, out var gTop, out var bTop);
            Channels(Vector128.Load((uint*)(bottom + o)), Vector128.Load((uint*)(bottom + o + 16)), out var rBottom, out var gBottom, out var bBottom);

            var luma = Vector128.Narrow(Luma(rTop, gTop, bTop), Luma(rBottom, gBottom, bBottom)).AsUInt64();
            Unsafe.WriteUnaligned(yTop + x, luma.GetElement(0));
            Unsafe.WriteUnaligned(yBottom + x, luma.GetElement(1));

            var r = BlockSums(rTop + rBottom);
            var g = BlockSums(gTop + gBottom);
            var b = BlockSums(bTop + bBottom);
            var cb = Vector128.ShiftRightArithmetic(b * 112 - r * 38 - g * 74 + Vector128.Create(512), 10) + Vector128.Create(128);
            var cr = Vector128.ShiftRightArithmetic(r * 112 - g * 94 - b * 18 + Vector128.Create(512), 10) + Vector128.Create(128);
            var chroma = Vector128.Narrow(Vector128.Narrow(cb, cr).AsUInt16(), Vector128<ushort>.Zero).AsUInt32();
            Unsafe.WriteUnaligned(uRow + (x >> 1), chroma.GetElement(0));
            Unsafe.WriteUnaligned(vRow + (x >> 1), chroma.GetElement(1));
        }
        return x;
    }

    // Two loads of BGRA pixels (little-endian: B in the low byte) to 16-bit R, G and B lanes, in pixel order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Channels(Vector256<uint> first, Vector256<uint> second, out Vector256<ushort> r, out Vector256<ushort> g, out Vector256<ushort> b)
    {
        var mask = Vector256.Create(0xFFu);
        b = Vector256.Narrow(first & mask, second & mask);
        g = Vector256.Narrow(Vector256.ShiftRightLogical(first, 8) & mask, Vector256.ShiftRightLogical(second, 8) & mask);
        r = Vector256.Narrow(Vector256.ShiftRightLogical(first, 16) & mask, Vector256.ShiftRightLogical(second, 16) & mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Channels(Vector128<uint> first, Vector128<uint> second, out Vector128<ushort> r, out Vector128<ushort> g, out Vector128<ushort> b)
    {
        var mask = Vector128.Create(0xFFu);
        b = Vector128.Narrow(first & mask, second & mask);
        g = Vector128.Narrow(Vector128.ShiftRightLogical(first, 8) & mask, Vector128.ShiftRightLogical(second, 8) & mask);
        r = Vector128.Narrow(Vector128.ShiftRightLogical(first, 16) & mask, Vector128.ShiftRightLogical(second, 16) & mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> Luma(Vector256<ushort> r, Vector256<ushort> g, Vector256<ushort> b) =>
        Vector256.ShiftRightLogical(r * 66 + g * 129 + b * 25 + Vector256.Create((ushort)128), 8) + Vector256.Create((ushort)16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> Luma(Vector128<ushort> r, Vector128<ushort> g, Vector128<ushort> b) =>
        Vector128.ShiftRightLogical(r * 66 + g * 129 + b * 25 + Vector128.Create((ushort)128), 8) + Vector128.Create((ushort)16);

    // Column sums of two rows (16-bit, one per pixel) to the sum of each 2x2 block: adjacent lanes added in 32 bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> BlockSums(Vector256<ushort> columns)
    {
        var pairs = columns.AsUInt32();
        return ((pairs & Vector256.Create(0xFFFFu)) + Vector256.ShiftRightLogical(pairs, 16)).AsInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> BlockSums(Vector128<ushort> columns)
    {
        var pairs = columns.AsUInt32();
        return ((pairs & Vector128.Create(0xFFFFu)) + Vector128.ShiftRightLogical(pairs, 16)).AsInt32();
    }
}
