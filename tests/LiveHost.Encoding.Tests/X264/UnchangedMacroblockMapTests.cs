using System.Buffers.Binary;
using LiveHost.Encoding.X264;
using LiveHost.Media;
using LiveHost.TestSupport;

namespace LiveHost.Encoding.Tests.X264;

/// <summary>
/// Issue 14: x264 is told which macroblocks did not change (mb_info), found exactly from the converted pixels, and
/// it acts on it. Decoded back with the real ffmpeg where it matters.
/// </summary>
public sealed class UnchangedMacroblockMapTests(ITestOutputHelper output)
{
    private const int Width = 320;
    private const int Height = 240;
    private static readonly MediaFormat Format = new(Width, Height, 25);

    [Fact]
    public void Only_macroblocks_whose_pixels_changed_are_marked_even_when_more_rows_are_said_to_change()
    {
        var before = Pattern(seed: 1);
        var after = (byte[])before.Clone();
        SetPixel(after, 100, 50, 250, 10, 10);   // macroblock (6, 3)
        SetPixel(after, 319, 239, 0, 0, 0);      // the last one, (19, 14)
        var rows = new ChangedRows(Height);
        rows.Add(40, 60);
        rows.Add(120, 140); // said to change, but the same
        rows.Add(230, 240);

        var map = Convert(before, after, rows, out var planesMatch);

        Assert.True(planesMatch, "the planes must equal a full conversion of the new frame");
        var changed = ChangedMacroblocks(map);
        Assert.Equal([(6, 3), (19, 14)], changed);
        Assert.Equal(20 * 15 - 2, map.LastConstantCount);
        map.Dispose();
    }

    [Fact]
    public void A_colour_change_that_keeps_the_luma_still_marks_its_macroblock()
    {
        var before = Pattern(seed: 2);
        var after = (byte[])before.Clone();
        // Luma weighs red 66 and blue 25: +25 red and -66 blue keep 66r + 129g + 25b, chroma moves.
        var at = (77 * Width + 200) * 4;
        before[at] = 200; before[at + 1] = 90; before[at + 2] = 100;
        after[at] = 134; after[at + 1] = 90; after[at + 2] = 125;
        Assert.Equal(LumaPlane(before)[77 * Width + 200], LumaPlane(after)[77 * Width + 200]);
        var rows = new ChangedRows(Height);
        rows.Add(76, 78);

        var map = Convert(before, after, rows, out var planesMatch);

        Assert.True(planesMatch);
        Assert.Equal([(12, 4)], ChangedMacroblocks(map));
        map.Dispose();
    }

    [Fact]
    public async Task X264_keeps_a_macroblock_marked_unchanged_and_codes_one_marked_changed()
    {
        // The control and the proof in one: the same change coded twice, once told the truth, once told that the
        // changed macroblock did not change. Only if x264 reads the map (b_mb_info on, the array where x264_picture_t
        // keeps it) does the second decode show the old pixels there.
        var told = await DecodeSecondFrameAsync(lie: false);
        var lied = await DecodeSecondFrameAsync(lie: true);
        // The white square sits in macroblock (5, 5): pixels 80..95 by 80..95; the background there is dark.
        var toldLuma = MeanLuma(told, 84, 84, 8);
        var liedLuma = MeanLuma(lied, 84, 84, 8);
        output.WriteLine($"mean luma inside the square: told the truth {toldLuma:F1}, told it was unchanged {liedLuma:F1}");
        Assert.InRange(toldLuma, 200, 255);
        Assert.InRange(liedLuma, 0, 60);
    }

    [Fact]
    public void With_the_option_off_no_map_is_kept_and_nothing_is_marked()
    {
        using var encoder = new X264Encoder(Format, new EncoderOptions { SkipUnchangedMacroblocks = false });
        var frame = Pattern(seed: 3);
        encoder.Encode(frame, 0, false);
        var rows = new ChangedRows(Height);
        rows.Add(0, 16);
        encoder.Encode(frame, 1, false, rows, 0);
        Assert.Null(encoder.UnchangedMacroblocks);
        Assert.Equal(0, encoder.MacroblocksMarkedUnchanged);
    }

    [Fact]
    public void A_picture_whose_previous_frame_was_not_coded_carries_no_map()
    {
        using var encoder = new X264Encoder(Format, new EncoderOptions());
        var frame = Pattern(seed: 4);
        var rows = new ChangedRows(Height);
        rows.Add(0, 16);
        encoder.Encode(frame, 0, false);
        encoder.Encode(frame, 1, false, rows, 0);
        var marked = encoder.MacroblocksMarkedUnchanged;
        Assert.Equal(20 * 15, marked); // nothing changed
        encoder.Encode(frame, 3, false, rows, 2); // relative to frame 2, which this encoder never saw: full conversion
        Assert.Equal(marked, encoder.MacroblocksMarkedUnchanged);
    }

    private static async Task<byte[]> DecodeSecondFrameAsync(bool lie)
    {
        using var encoder = new X264Encoder(Format, new EncoderOptions());
        var first = new byte[Format.FrameBytes];
        for (var p = 0; p < first.Length; p += 4) (first[p], first[p + 1], first[p + 2], first[p + 3]) = (30, 30, 30, 255);
        var second = (byte[])first.Clone();
        for (var y = 80; y < 96; y++)
            for (var x = 80; x < 96; x++) SetPixel(second, x, y, 255, 255, 255);
        var rows = new ChangedRows(Height);
        rows.Add(80, 96);

        var stream = new MemoryStream();
        WriteAnnexB(stream, encoder.Config.Sps);
        WriteAnnexB(stream, encoder.Config.Pps);
        WriteAccessUnit(stream, encoder.Encode(first, 0, forceIdr: true).Data);
        encoder.PreparePicture(second, 1, rows, 0);
        var map = encoder.UnchangedMacroblocks!;
        Assert.False(map.IsConstant(5, 5));
        Assert.Equal(20 * 15 - 1, map.LastConstantCount);
        if (lie) map.Set(5, 5, constant: true);
        WriteAccessUnit(stream, encoder.EncodePrepared(1, forceIdr: false).Data);

        var path = Path.Combine(Path.GetTempPath(), $"livehost-mbinfo-{Guid.NewGuid():N}.h264");
        try
        {
            await File.WriteAllBytesAsync(path, stream.ToArray());
            var (exitCode, gray, stderr) = await ExternalTool.RunAsync("ffmpeg",
                ["-hide_banner", "-loglevel", "error", "-f", "h264", "-i", path, "-f", "rawvideo", "-pix_fmt", "gray", "-"], TimeSpan.FromSeconds(20));
            Assert.True(exitCode == 0, stderr);
            Assert.Equal(2 * Width * Height, gray.Length);
            return gray.AsSpan(Width * Height).ToArray();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double MeanLuma(byte[] gray, int x0, int y0, int size)
    {
        double sum = 0;
        for (var y = y0; y < y0 + size; y++)
            for (var x = x0; x < x0 + size; x++) sum += gray[y * Width + x];
        return sum / (size * size);
    }

    // Converts `before` fully into planes, then `after`'s changed rows through the map; compares with a full conversion.
    private static unsafe UnchangedMacroblockMap Convert(byte[] before, byte[] after, ChangedRows rows, out bool planesMatch)
    {
        var y = new byte[Width * Height];
        var u = new byte[Width * Height / 4];
        var v = new byte[Width * Height / 4];
        BgraToI420.Convert(before, Width, Height, y, Width, u, Width / 2, v, Width / 2);
        var map = new UnchangedMacroblockMap(Width, Height);
        fixed (byte* py = y)
        fixed (byte* pu = u)
        fixed (byte* pv = v)
        {
            map.ConvertChangedRows(after, rows, py, Width, pu, Width / 2, pv, Width / 2);
        }
        var fullY = new byte[y.Length];
        var fullU = new byte[u.Length];
        var fullV = new byte[v.Length];
        BgraToI420.Convert(after, Width, Height, fullY, Width, fullU, Width / 2, fullV, Width / 2);
        planesMatch = fullY.AsSpan().SequenceEqual(y) && fullU.AsSpan().SequenceEqual(u) && fullV.AsSpan().SequenceEqual(v);
        return map;
    }

    private static byte[] LumaPlane(byte[] bgra)
    {
        var y = new byte[Width * Height];
        BgraToI420.Convert(bgra, Width, Height, y, Width, new byte[Width * Height / 4], Width / 2, new byte[Width * Height / 4], Width / 2);
        return y;
    }

    private static List<(int Column, int Row)> ChangedMacroblocks(UnchangedMacroblockMap map)
    {
        var changed = new List<(int, int)>();
        for (var row = 0; row < 15; row++)
            for (var column = 0; column < 20; column++)
                if (!map.IsConstant(column, row)) changed.Add((column, row));
        return changed;
    }

    private static byte[] Pattern(int seed)
    {
        var random = new Random(seed);
        var frame = new byte[Format.FrameBytes];
        random.NextBytes(frame);
        for (var p = 3; p < frame.Length; p += 4) frame[p] = 255;
        return frame;
    }

    private static void SetPixel(byte[] frame, int x, int y, byte r, byte g, byte b)
    {
        var at = (y * Width + x) * 4;
        (frame[at], frame[at + 1], frame[at + 2], frame[at + 3]) = (b, g, r, 255);
    }

    private static void WriteAccessUnit(Stream stream, byte[] data)
    {
        for (var at = 0; at < data.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
            WriteAnnexB(stream, data.AsSpan(at + 4, length));
            at += 4 + length;
        }
    }

    private static void WriteAnnexB(Stream stream, ReadOnlySpan<byte> nal)
    {
        stream.Write([0, 0, 0, 1]);
        stream.Write(nal);
    }
}
