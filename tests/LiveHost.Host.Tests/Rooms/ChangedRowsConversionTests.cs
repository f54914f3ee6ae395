using LiveHost.Avatars;
using LiveHost.Avatars.Products;
using LiveHost.Encoding;
using LiveHost.Encoding.X264;
using LiveHost.Media;
using LiveHost.Speech;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Rooms;

/// <summary>
/// Issue 14: the encoder converts to I420 only the rows the compositor changed and keeps the rest of its previous
/// picture. Over a speaking sequence with caption changes, product cards, a skipped tick and a dropped frame, the
/// picture x264 is handed must equal a full conversion of the composed frame, byte for byte, while most rows are not
/// converted at all. And x264 is told exactly which macroblocks are the previous picture's (mb_info): a macroblock is
/// marked unchanged if and only if its luma and chroma bytes equal those of the frame coded before it.
/// </summary>
public sealed class ChangedRowsConversionTests(ITestOutputHelper output)
{
    private const int Width = 1280;
    private const int Height = 720;

    private const string Greeting = "Welcome back to the show, everyone.";
    private const string Pitch = "Today we have three new flavours of our cold brew coffee, each one roasted in small batches and bottled " +
        "the same morning. Order in the next ten minutes and the shipping is on us, and every bottle comes with a recipe card.";

    [Fact]
    public void The_picture_coded_from_changed_rows_equals_a_full_conversion_of_every_frame()
    {
        var format = new MediaFormat(Width, Height, 25);
        using var compositor = new FrameCompositor(new PresenterSwitcher(new CartoonPresenter()), Width, Height, "en", ownsAvatar: true);
        using var encoder = new X264Encoder(format, new EncoderOptions());
        var thermos = new ProductCardContent("p1#1", "Thermos", "199.00 CNY", ["304 stainless steel", "keeps hot 12 h"], null);
        var mug = new ProductCardContent("p2#1", "Travel mug", "89.00 CNY", ["leak-proof lid"], null);
        // Frames are drawn into whichever pool buffer comes back, as in a room.
        var buffers = new[] { new byte[format.FrameBytes], new byte[format.FrameBytes], new byte[format.FrameBytes] };
        byte[] y = new byte[Width * Height], u = new byte[Width * Height / 4], v = new byte[Width * Height / 4];
        byte[] fullY = new byte[y.Length], fullU = new byte[u.Length], fullV = new byte[v.Length];
        byte[] lastY = new byte[y.Length], lastU = new byte[u.Length], lastV = new byte[v.Length];
        int mapped = 0, changedMacroblocks = 0;

        long frameIndex = 0, previousComposed = -1;
        int coded = 0, partial = 0;
        for (var step = 0; step < 90; step++, frameIndex++)
        {
            if (step == 40) frameIndex += 3; // the engine skipped three ticks: nothing drawn for them
            var (caption, progress) = step switch
            {
                < 8 => ((string?)null, float.NaN),
                < 30 => (Greeting, 0.5f),
                < 60 => (Pitch, (step - 30) / 30f), // pages through the long caption
                < 70 => (null, float.NaN),
                _ => (Greeting, 0.2f),
            };
            compositor.Card = step switch
            {
                >= 15 and < 35 => new ProductCardFrame(thermos, 35 - step), // a countdown that changes every frame
                >= 50 and < 75 => new ProductCardFrame(mug, null),
                _ => null,
            };
            var viseme = (Viseme)(step % 15);
            var frame = new AvatarFrame(frameIndex, frameIndex / 25.0, viseme, 0.3f + 0.05f * (step % 7), Speaking: step % 20 < 17);
            var pixels = buffers[step % buffers.Length];
            compositor.Compose(frame, caption, progress, pixels);
            var rows = compositor.LastChangedRows;
            var previous = previousComposed;
            previousComposed = frameIndex;
            if (step == 64) continue; // dropped before the encoder: the next frame's rows are relative to a frame it never saw

            var rowsBefore = encoder.RowsConverted;
            encoder.Encode(pixels, frameIndex, forceIdr: false, rows, previous);
            coded++;
            var converted = encoder.RowsConverted - rowsBefore;
            encoder.CopyPicture(y, u, v);
            BgraToI420.Convert(pixels, Width, Height, fullY, Width, fullU, Width / 2, fullV, Width / 2);
            Assert.True(fullY.AsSpan().SequenceEqual(y), $"luma differs at step {step} (frame {frameIndex}): first row {FirstDifferentRow(fullY, y, Width)}");
            Assert.True(fullU.AsSpan().SequenceEqual(u), $"U differs at step {step} (frame {frameIndex}): first row {FirstDifferentRow(fullU, u, Width / 2)}");
            Assert.True(fullV.AsSpan().SequenceEqual(v), $"V differs at step {step} (frame {frameIndex}): first row {FirstDifferentRow(fullV, v, Width / 2)}");
            if (step == 65) Assert.Equal(Height, converted); // the frame before it was dropped: every row
            if (converted < Height)
            {
                partial++;
                var map = encoder.UnchangedMacroblocks!;
                for (var row = 0; row < Height / 16; row++)
                {
                    for (var column = 0; column < Width / 16; column++)
                    {
                        var same = SameMacroblock(lastY, fullY, lastU, fullU, lastV, fullV, column, row);
                        Assert.True(same == map.IsConstant(column, row), $"step {step}: macroblock ({column}, {row}) is {(same ? "unchanged" : "changed")} but marked {(map.IsConstant(column, row) ? "unchanged" : "changed")}");
                        if (!same) changedMacroblocks++;
                    }
                }
                mapped++;
            }
            (lastY, fullY) = (fullY, lastY);
            (lastU, fullU) = (fullU, lastU);
            (lastV, fullV) = (fullV, lastV);
        }

        var share = (double)encoder.RowsConverted / (coded * (long)Height);
        output.WriteLine($"{coded} frames coded, {partial} from changed rows only; {share:P1} of all rows converted; {mapped} pictures carried a macroblock map, {changedMacroblocks} macroblocks changed in them");
        Assert.Equal(partial, mapped);
        Assert.InRange(changedMacroblocks, 1, mapped * (Width / 16) * (Height / 16) / 2);
        Assert.True(partial >= coded - 6, $"only {partial} of {coded} frames were converted from their changed rows");
        Assert.InRange(share, 0.05, 0.7);
    }

    private static bool SameMacroblock(byte[] y0, byte[] y1, byte[] u0, byte[] u1, byte[] v0, byte[] v1, int column, int row)
    {
        for (var line = row * 16; line < row * 16 + 16; line++)
        {
            if (!y0.AsSpan(line * Width + column * 16, 16).SequenceEqual(y1.AsSpan(line * Width + column * 16, 16))) return false;
        }
        for (var line = row * 8; line < row * 8 + 8; line++)
        {
            var at = line * (Width / 2) + column * 8;
            if (!u0.AsSpan(at, 8).SequenceEqual(u1.AsSpan(at, 8)) || !v0.AsSpan(at, 8).SequenceEqual(v1.AsSpan(at, 8))) return false;
        }
        return true;
    }

    private static int FirstDifferentRow(byte[] expected, byte[] actual, int stride)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i]) return i / stride;
        }
        return -1;
    }
}
