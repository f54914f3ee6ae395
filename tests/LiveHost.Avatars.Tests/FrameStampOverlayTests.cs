using Xunit;
using SkiaSharp;

namespace LiveHost.Avatars.Tests;

public sealed class FrameStampOverlayTests
{
    [Theory]
    [InlineData(1280, 720, 0L)]
    [InlineData(1280, 720, 12_345L)]
    [InlineData(320, 240, 16_777_215L)]
    [InlineData(320, 240, 16_777_216L + 77)]
    public void The_stamp_reads_back_as_the_frame_index_even_through_noise(int width, int height, long frameIndex)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(90, 120, 160));
            using var stamp = new FrameStampOverlay(width, height);
            stamp.Draw(canvas, frameIndex);
        }
        // Compression noise: every pixel moved by up to +-50 levels.
        var random = new Random(5);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                byte Jitter(byte v) => (byte)Math.Clamp(v + random.Next(-50, 51), 0, 255);
                bitmap.SetPixel(x, y, new SKColor(Jitter(c.Red), Jitter(c.Green), Jitter(c.Blue)));
            }
        }

        Assert.Equal(FrameStampOverlay.ValueOf(frameIndex), Read(bitmap));
    }

    /// <summary>A reader written from the documented layout alone (as the browser-side reader is).</summary>
    private static int Read(SKBitmap bitmap)
    {
        var block = FrameStampOverlay.BlockSizeFor(bitmap.Width);
        var top = bitmap.Height - 3 * block;
        bool White(int column, int row)
        {
            var c = bitmap.GetPixel(block + column * block + block / 2, top + row * block + block / 2);
            return (c.Red + c.Green + c.Blue) / 3 > 128;
        }
        Assert.True(White(0, 0) && White(0, 1) && !White(1, 0) && !White(1, 1), "start marker not found");
        var value = 0;
        for (var bit = 0; bit < FrameStampOverlay.Bits; bit++)
        {
            var upper = White(bit + 2, 0);
            Assert.NotEqual(upper, White(bit + 2, 1));
            value = (value << 1) | (upper ? 1 : 0);
        }
        return value;
    }
}
