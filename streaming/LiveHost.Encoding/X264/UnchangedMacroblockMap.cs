using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LiveHost.Media;

namespace LiveHost.Encoding.X264;

/// <summary>
/// Which 16x16 macroblocks of the picture handed to x264 are byte for byte the picture it coded just before: x264's
/// <c>mb_info</c> array, one byte a macroblock, <see cref="X264Native.MbInfoConstant"/> where nothing changed. With it
/// x264 skips the analysis of a constant macroblock (a P_SKIP, when the previous frame's reference there was coded at
/// a QP no worse than this frame's), which is most of a speaking room's picture: the presenter's mouth and a caption
/// change, the rest stays.
/// <para>
/// The map is exact, not trusted: the changed rows are converted into the picture here, and every macroblock whose
/// converted bytes (luma, or its chroma) differ from what the picture held is marked changed. A row the drawing stage
/// marked but did not change costs a comparison, not a macroblock. Rows it did not mark are the same as before by the
/// <see cref="ChangedRows"/> contract, which the incremental conversion already relies on.
/// </para>
/// Not thread-safe: the encoder that owns it uses it between two encodes.
/// </summary>
internal sealed unsafe class UnchangedMacroblockMap : IDisposable
{
    private readonly int _width;
    private readonly int _height;
    private readonly int _columns;
    private byte* _flags;
    // The rows of a run as they were before it was converted: luma, then the two chroma planes.
    private readonly byte[] _before;

    public UnchangedMacroblockMap(int width, int height)
    {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0) throw new ArgumentException($"width and height must be positive and even, not {width}x{height}");
        _width = width;
        _height = height;
        _columns = (width + 15) / 16;
        Count = CountFor(width, height);
        _flags = (byte*)NativeMemory.AllocZeroed((nuint)Count);
        _before = GC.AllocateUninitializedArray<byte>(width * height * 3 / 2, pinned: true);
    }

    /// <summary>Macroblocks in the picture.</summary>
    public int Count { get; }

    /// <summary>Macroblocks in a <paramref name="width"/> x <paramref name="height"/> picture (16x16, the last ones padded).</summary>
    public static int CountFor(int width, int height) => ((width + 15) / 16) * ((height + 15) / 16);

    /// <summary>The array x264 reads (owned here; x264 is given no function to free it).</summary>
    public byte* Flags
    {
        get
        {
            ObjectDisposedException.ThrowIf(_flags == null, this);
            return _flags;
        }
    }

    /// <summary>Macroblocks marked constant by the last <see cref="ConvertChangedRows"/>.</summary>
    public int LastConstantCount { get; private set; }

    /// <summary>Whether the macroblock at (<paramref name="column"/>, <paramref name="row"/>) was marked constant by the last conversion.</summary>
    public bool IsConstant(int column, int row) => (Flags[row * _columns + column] & X264Native.MbInfoConstant) != 0;

    /// <summary>Overrides one macroblock's flag (tests use it to show that x264 acts on the map).</summary>
    internal void Set(int column, int row, bool constant) => Flags[row * _columns + column] = constant ? X264Native.MbInfoConstant : (byte)0;

    /// <summary>
    /// Converts <paramref name="rows"/> of <paramref name="bgra"/> into the planes (which hold the previous picture)
    /// and marks every macroblock whose bytes that changed; all others are marked constant.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ConvertChangedRows(ReadOnlySpan<byte> bgra, ChangedRows rows, byte* y, int yStride, byte* u, int uStride, byte* v, int vStride)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Height != _height) throw new ArgumentException($"the changed rows are for {rows.Height} rows, the picture has {_height}", nameof(rows));
        new Span<byte>(Flags, Count).Fill(X264Native.MbInfoConstant);
        var changed = 0;
        var chromaWidth = _width / 2;
        fixed (byte* before = _before)
        {
            foreach (var (start, end) in rows.Runs())
            {
                var lumaRows = end - start;
                var beforeU = before + lumaRows * _width;
                var beforeV = beforeU + lumaRows / 2 * chromaWidth;
                for (var row = start; row < end; row++) new ReadOnlySpan<byte>(y + row * yStride, _width).CopyTo(new Span<byte>(before + (row - start) * _width, _width));
                for (var row = start / 2; row < end / 2; row++)
                {
                    new ReadOnlySpan<byte>(u + row * uStride, chromaWidth).CopyTo(new Span<byte>(beforeU + (row - start / 2) * chromaWidth, chromaWidth));
                    new ReadOnlySpan<byte>(v + row * vStride, chromaWidth).CopyTo(new Span<byte>(beforeV + (row - start / 2) * chromaWidth, chromaWidth));
                }

                BgraToI420.ConvertRows(bgra, _width, _height, start, end, y, yStride, u, uStride, v, vStride);

                for (var row = start; row < end; row++) changed += MarkChanged(before + (row - start) * _width, y + row * yStride, _width, 16, row / 16);
                for (var row = start / 2; row < end / 2; row++)
                {
                    changed += MarkChanged(beforeU + (row - start / 2) * chromaWidth, u + row * uStride, chromaWidth, 8, row / 8);
                    changed += MarkChanged(beforeV + (row - start / 2) * chromaWidth, v + row * vStride, chromaWidth, 8, row / 8);
                }
            }
        }
        LastConstantCount = Count - changed;
    }

    public void Dispose()
    {
        if (_flags != null)
        {
            NativeMemory.Free(_flags);
            _flags = null;
        }
    }

    // Compares one plane row block by block (a macroblock is `block` bytes wide in this plane); marks the changed
    // blocks' macroblocks and returns how many it newly marked.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int MarkChanged(byte* before, byte* after, int width, int block, int macroblockRow)
    {
        var oldRow = new ReadOnlySpan<byte>(before, width);
        var newRow = new ReadOnlySpan<byte>(after, width);
        if (oldRow.SequenceEqual(newRow)) return 0;
        var marked = 0;
        var flags = _flags + macroblockRow * _columns;
        for (int x = 0, column = 0; x < width; x += block, column++)
        {
            if (flags[column] == 0) continue;
            var length = Math.Min(block, width - x);
            if (oldRow.Slice(x, length).SequenceEqual(newRow.Slice(x, length))) continue;
            flags[column] = 0;
            marked++;
        }
        return marked;
    }
}
