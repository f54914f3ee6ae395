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
