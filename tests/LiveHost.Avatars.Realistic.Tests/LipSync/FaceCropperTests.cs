using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.LipSync;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.Tests.LipSync;

public sealed class FaceCropperTests
{
    private const int Size = 96;
    private const int Plane = Size * Size;

    [Theory]
    [InlineData(FaceChannelOrder.Bgr, 2, 0)]
    [InlineData(FaceChannelOrder.Rgb, 0, 2)]
    public void A_red_face_goes_in_with_red_on_the_plane_the_channel_order_names(FaceChannelOrder order, int redPlane, int bluePlane)
    {
        using var cropper = new FaceCropper(Size, 0.15f, order);
        using var frame = SolidImage(200, 100, SKColors.Red);
        var input = new float[6 * Plane];

        cropper.FillInput(frame, new FaceBox(0, 0, 200, 100), input);

        var top = 10 * Size + 48;       // upper half: the target keeps it
        var bottom = 80 * Size + 48;    // lower half: zeroed in the target, kept in the reference
        Assert.Equal(1f, input[redPlane * Plane + top], 2);
        Assert.Equal(0f, input[bluePlane * Plane + top], 2);
        Assert.Equal(0f, input[redPlane * Plane + bottom]);
        Assert.Equal(1f, input[(3 + redPlane) * Plane + bottom], 2);
        Assert.Equal(0f, input[(3 + bluePlane) * Plane + bottom], 2);
    }

    [Theory]
    [InlineData(FaceChannelOrder.Bgr)]
    [InlineData(FaceChannelOrder.Rgb)]
    public void The_output_is_read_back_in_the_same_order_so_colours_survive_a_model_that_copies_its_reference(FaceChannelOrder order)
    {
        using var cropper = new FaceCropper(Size, 0.15f, order);
        using var frame = SolidImage(96, 96, new SKColor(220, 40, 10));
        var input = new float[6 * Plane];
        cropper.FillInput(frame, new FaceBox(0, 0, 96, 96), input);

        cropper.MakePatch(input.AsSpan(3 * Plane, 3 * Plane)); // an identity "model": the reference comes back

        var alpha = cropper.Mask.Alpha;
        var full = Enumerable.Range(0, Plane).First(i => alpha[i] >= 0.999f);
        var pixel = cropper.Patch.GetPixelSpan().Slice(4 * full, 4); // RGBA, premultiplied by an alpha of 1
        Assert.InRange(pixel[0], 218, 222);
        Assert.InRange(pixel[1], 38, 42);
        Assert.InRange(pixel[2], 8, 12);
    }

    private static SKImage SolidImage(int width, int height, SKColor colour)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(colour);
        return SKImage.FromBitmap(bitmap);
    }
}
