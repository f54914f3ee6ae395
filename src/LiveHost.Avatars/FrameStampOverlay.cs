using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// The frame index drawn into the picture as a machine-readable pattern, so a player can tell which frame it is
/// showing (the glass-to-glass benchmark reads it back in the browser). Off unless a room turns it on
/// (<c>Rooms:{room}:FrameStamp</c>): it is a measuring aid, not part of the show.
/// <para>
/// Layout, bottom-left, on the encoder's 16-pixel macroblock grid at 720p so blocks survive compression:
/// two rows of <see cref="Columns"/> square blocks of <see cref="BlockSizeFor"/> pixels. Column 0 is white over white
/// and column 1 black over black (the start marker); then <see cref="Bits"/> data columns, most significant bit first,
/// each a bit over its inverse (white = 1), so a reader can tell a clean block pair from a smeared one.
/// </para>
/// <code>
///   col:  0 1 2 3 ... 25
///   top:  W B b b ... b      b = bit (W = 1, B = 0)
///   bot:  W B ~ ~ ... ~      ~ = inverse of the bit above
/// </code>
/// </summary>
public sealed class FrameStampOverlay : IDisposable
{
    /// <summary>Bits of the frame index carried (the index modulo 2^24: over a week at 25 fps).</summary>
    public const int Bits = 24;

    /// <summary>Marker columns plus data columns.</summary>
    public const int Columns = Bits + 2;

    private readonly SKPaint _white = new() { Color = SKColors.White, IsAntialias = false, Style = SKPaintStyle.Fill };
    private readonly SKPaint _black = new() { Color = SKColors.Black, IsAntialias = false, Style = SKPaintStyle.Fill };

    public FrameStampOverlay(int width, int height)
    {
        BlockSize = BlockSizeFor(width);
        if (height < 4 * BlockSize) throw new ArgumentOutOfRangeException(nameof(height), $"a {height}-pixel frame is too short for the frame stamp");
        Left = BlockSize;
        Top = height - 3 * BlockSize;
    }

    /// <summary>Side of one block in pixels: 16 up to 1024-pixel-wide frames and beyond, less for small frames.</summary>
    public int BlockSize { get; }

    /// <summary>Top-left corner of the pattern, in frame pixels.</summary>
    public int Left { get; }

    public int Top { get; }

    /// <summary>The block size a reader should expect for a frame <paramref name="width"/> pixels wide (even, 4 to 16).</summary>
    public static int BlockSizeFor(int width) => Math.Clamp(width / (Columns + 6) / 2 * 2, 4, 16);

    /// <summary>The value the pattern of frame <paramref name="frameIndex"/> carries.</summary>
    public static int ValueOf(long frameIndex) => (int)(frameIndex & ((1 << Bits) - 1));

    public void Draw(SKCanvas canvas, long frameIndex)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        var value = ValueOf(frameIndex);
        for (var column = 0; column < Columns; column++)
        {
            bool top, bottom;
            if (column < 2)
            {
                top = bottom = column == 0;
            }
            else
            {
                top = ((value >> (Bits - 1 - (column - 2))) & 1) == 1;
                bottom = !top;
            }
            var x = Left + column * BlockSize;
            canvas.DrawRect(SKRect.Create(x, Top, BlockSize, BlockSize), top ? _white : _black);
            canvas.DrawRect(SKRect.Create(x, Top + BlockSize, BlockSize, BlockSize), bottom ? _white : _black);
        }
    }

    public void Dispose()
    {
        _white.Dispose();
        _black.Dispose();
    }
}
