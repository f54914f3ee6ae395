using LiveHost.Encoding.X264;

namespace LiveHost.Encoding.Tests.X264;

public sealed class BgraToI420Tests
{
    // Reference values from the BT.601 definition in floating point (Y = 16 + 65.481 R + 128.553 G + 24.966 B, R..B
    // in 0..1, and likewise Cb, Cr); the fixed-point conversion must land within one step of them.
    [Theory]
    [InlineData(255, 255, 255, 235.0, 128.0, 128.0)]
    [InlineData(0, 0, 0, 16.0, 128.0, 128.0)]
    [InlineData(255, 0, 0, 81.48, 90.2, 240.0)]
    [InlineData(0, 255, 0, 144.55, 53.8, 34.21)]
    [InlineData(0, 0, 255, 40.97, 240.0, 109.79)]
    [InlineData(128, 128, 128, 125.93, 128.0, 128.0)]
    public void Solid_colours_convert_to_within_one_step_of_bt601_limited_range(int r, int g, int b, double y, double u, double v)
    {
        var (yPlane, uPlane, vPlane) = Convert(Solid(4, 2, r, g, b), 4, 2);
        Assert.All(yPlane, value => Assert.InRange(value, y - 1, y + 1));
        Assert.All(uPlane, value => Assert.InRange(value, u - 1, u + 1));
        Assert.All(vPlane, value => Assert.InRange(value, v - 1, v + 1));
    }

    [Fact]
    public void Luma_is_per_pixel_and_chroma_is_the_mean_of_each_two_by_two_block()
    {
        // Left block: white over black (mean grey); right block: all red.
        var bgra = new byte[4 * 2 * 4];
        Set(bgra, 4, 0, 0, 255, 255, 255);
        Set(bgra, 4, 1, 0, 255, 255, 255);
        Set(bgra, 4, 0, 1, 0, 0, 0);
        Set(bgra, 4, 1, 1, 0, 0, 0);
        for (var x = 2; x < 4; x++) for (var row = 0; row < 2; row++) Set(bgra, 4, x, row, 255, 0, 0);

        var (y, u, v) = Convert(bgra, 4, 2);

        Assert.Equal(new byte[] { 235, 235, 82, 82, 16, 16, 82, 82 }, y);
        Assert.Equal(new byte[] { 128, 90 }, u);
        Assert.Equal(new byte[] { 128, 240 }, v);
    }

    [Fact]
    public void Strides_wider_than_the_picture_leave_the_padding_alone()
    {
        var y = Enumerable.Repeat((byte)0xAA, 8 * 2).ToArray();
        var u = Enumerable.Repeat((byte)0xAA, 4).ToArray();
        var v = Enumerable.Repeat((byte)0xAA, 4).ToArray();
        BgraToI420.Convert(Solid(4, 2, 0, 0, 0), 4, 2, y, 8, u, 4, v, 4);
        Assert.Equal(new byte[] { 16, 16, 16, 16, 0xAA, 0xAA, 0xAA, 0xAA }, y[..8]);
        Assert.Equal(new byte[] { 128, 128, 0xAA, 0xAA }, u);
    }

    [Theory]
    [InlineData(3, 2, 24)]
    [InlineData(4, 3, 48)]
    [InlineData(4, 2, 31)]
    public void Odd_sizes_and_short_frames_are_refused(int width, int height, int bytes)
    {
        var planes = new byte[64];
        Assert.Throws<ArgumentException>(() => BgraToI420.Convert(new byte[bytes], width, height, planes, width, new byte[16], width / 2, new byte[16], width / 2));
    }

    public static TheoryData<int, int, int> RandomSizes => new()
    {
        // Widths below, at and between the vector steps (8 and 16 pixels), so each path's scalar finish runs too.
        { 2, 2, 1 }, { 6, 4, 2 }, { 8, 2, 3 }, { 14, 6, 4 }, { 16, 2, 5 }, { 18, 4, 6 }, { 30, 10, 7 }, { 34, 8, 8 },
        { 64, 64, 9 }, { 1280, 16, 10 }, { 322, 182, 11 },
    };

    [Theory]
    [MemberData(nameof(RandomSizes))]
    public void Every_path_gives_the_scalar_bytes_on_random_pictures(int width, int height, int seed)
    {
        var bgra = new byte[width * height * 4];
        new Random(seed).NextBytes(bgra);
        AssertPathsAgree(bgra, width, height);
    }

    public static TheoryData<string> EdgePictures => new() { "black", "white", "checker 0/255", "one channel at a time", "gradient", "alpha only" };

    [Theory]
    [MemberData(nameof(EdgePictures))]
    public void Every_path_gives_the_scalar_bytes_on_extreme_pictures(string picture)
    {
        const int width = 46, height = 6;
        var bgra = new byte[width * height * 4];
        for (var row = 0; row < height; row++)
        {
            for (var x = 0; x < width; x++)
            {
                var o = (row * width + x) * 4;
                var on = ((x + row) & 1) == 0;
                (int B, int G, int R, int A) px = picture switch
                {
                    "black" => (0, 0, 0, 255),
                    "white" => (255, 255, 255, 255),
                    // Extremes next to each other inside every 2x2 block: the chroma sums reach their limits.
                    "checker 0/255" => on ? (255, 255, 255, 0) : (0, 0, 0, 255),
                    "one channel at a time" => ((x % 3) == 0 ? 255 : 0, (x % 3) == 1 ? 255 : 0, (x % 3) == 2 ? 255 : 0, 255),
                    "gradient" => ((x * 255 / (width - 1)), (row * 255 / (height - 1)), 255 - (x * 255 / (width - 1)), 255),
                    _ => (0, 0, 0, on ? 255 : 0),
                };
                (bgra[o], bgra[o + 1], bgra[o + 2], bgra[o + 3]) = ((byte)px.B, (byte)px.G, (byte)px.R, (byte)px.A);
            }
        }
        AssertPathsAgree(bgra, width, height);
    }

    [Fact]
    public void Vector_paths_leave_stride_padding_alone()
    {
        const int width = 36, height = 4, yStride = 48, cStride = 24;
        var bgra = new byte[width * height * 4];
        new Random(12).NextBytes(bgra);
        foreach (var path in Enum.GetValues<BgraToI420Path>())
        {
            var y = Enumerable.Repeat((byte)0xAA, yStride * height).ToArray();
            var u = Enumerable.Repeat((byte)0xAA, cStride * height / 2).ToArray();
            var v = Enumerable.Repeat((byte)0xAA, cStride * height / 2).ToArray();
            BgraToI420.Convert(bgra, width, height, y, yStride, u, cStride, v, cStride, path);
            for (var row = 0; row < height; row++) Assert.All(y.AsSpan(row * yStride + width, yStride - width).ToArray(), b => Assert.Equal(0xAA, b));
            for (var row = 0; row < height / 2; row++)
            {
                Assert.All(u.AsSpan(row * cStride + width / 2, cStride - width / 2).ToArray(), b => Assert.Equal(0xAA, b));
                Assert.All(v.AsSpan(row * cStride + width / 2, cStride - width / 2).ToArray(), b => Assert.Equal(0xAA, b));
            }
        }
    }

    [Fact]
    public void An_unknown_path_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            BgraToI420.Convert(new byte[16 * 4], 4, 4, new byte[16], 4, new byte[4], 2, new byte[4], 2, (BgraToI420Path)7));
    }

    private static void AssertPathsAgree(byte[] bgra, int width, int height)
    {
        var expected = Convert(bgra, width, height, BgraToI420Path.Scalar);
        foreach (var path in new[] { BgraToI420Path.Vector128, BgraToI420Path.Vector256 })
        {
            var actual = Convert(bgra, width, height, path);
            Assert.True(expected.Y.AsSpan().SequenceEqual(actual.Y), $"{path}: luma differs at byte {FirstDifference(expected.Y, actual.Y)}");
            Assert.True(expected.U.AsSpan().SequenceEqual(actual.U), $"{path}: U differs at byte {FirstDifference(expected.U, actual.U)}");
            Assert.True(expected.V.AsSpan().SequenceEqual(actual.V), $"{path}: V differs at byte {FirstDifference(expected.V, actual.V)}");
        }
        // The default entry point takes the fastest path, which is one of these.
        var fastest = Convert(bgra, width, height);
        Assert.Equal(expected.Y, fastest.Y);
        Assert.Equal(expected.U, fastest.U);
        Assert.Equal(expected.V, fastest.V);
    }

    private static int FirstDifference(byte[] a, byte[] b) => a.AsSpan().CommonPrefixLength(b);

    private static (byte[] Y, byte[] U, byte[] V) Convert(byte[] bgra, int width, int height, BgraToI420Path path)
    {
        var y = new byte[width * height];
        var u = new byte[width * height / 4];
        var v = new byte[width * height / 4];
        BgraToI420.Convert(bgra, width, height, y, width, u, width / 2, v, width / 2, path);
        return (y, u, v);
    }

    private static (byte[] Y, byte[] U, byte[] V) Convert(byte[] bgra, int width, int height)
    {
        var y = new byte[width * height];
        var u = new byte[width * height / 4];
        var v = new byte[width * height / 4];
        BgraToI420.Convert(bgra, width, height, y, width, u, width / 2, v, width / 2);
        return (y, u, v);
    }

    private static byte[] Solid(int width, int height, int r, int g, int b)
    {
        var bgra = new byte[width * height * 4];
        for (var row = 0; row < height; row++) for (var x = 0; x < width; x++) Set(bgra, width, x, row, r, g, b);
        return bgra;
    }

    private static void Set(byte[] bgra, int width, int x, int y, int r, int g, int b)
    {
        var o = (y * width + x) * 4;
        (bgra[o], bgra[o + 1], bgra[o + 2], bgra[o + 3]) = ((byte)b, (byte)g, (byte)r, 255);
    }
}
