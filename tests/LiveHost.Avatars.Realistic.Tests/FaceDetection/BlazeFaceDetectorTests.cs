using LiveHost.Avatars.Realistic.FaceDetection;
using LiveHost.Avatars.TestSupport;
using SkiaSharp;
using Xunit.Abstractions;

namespace LiveHost.Avatars.Realistic.Tests.FaceDetection;

/// <summary>
/// Runs the real BlazeFace model. No photograph of a person is available on this machine (checked /usr/share and
/// the Python packages), so the faces here are drawn (<see cref="SyntheticFace"/>): shaded skin, hair, eyes with
/// irises, lips. BlazeFace does take that drawing for a face (score about 0.8), which is enough to check the
/// pre-processing, the anchor decoding and the mapping back to image pixels end to end; it says nothing about
/// accuracy on real people.
/// </summary>
public sealed class BlazeFaceDetectorTests(ITestOutputHelper output)
{
    private static string ModelPath => BlazeFaceDetector.DefaultModelPath(TestDirectory.RepositoryRoot);

    [Fact]
    public void The_shipped_model_loads_and_finds_nothing_in_a_flat_image()
    {
        using var detector = new BlazeFaceDetector(ModelPath);
        using var flat = new SKBitmap(new SKImageInfo(320, 240, SKColorType.Rgba8888, SKAlphaType.Premul));
        flat.Erase(new SKColor(128, 128, 128));

        Assert.Empty(detector.Detect(flat));
    }

    [Theory]
    [InlineData(320, 240, 0, 0)]
    [InlineData(320, 240, -50, 20)]
    [InlineData(640, 360, 120, -30)]
    public void The_drawn_face_is_found_where_it_was_drawn(int width, int height, int dx, int dy)
    {
        using var detector = new BlazeFaceDetector(ModelPath);
        using var image = SyntheticFace.Bitmap(width, height, dx, dy);

        var faces = detector.Detect(image, threshold: 0.5f);

        output.WriteLine($"BlazeFace found {faces.Count} face(s): " +
            string.Join("; ", faces.Select(f => $"centre ({f.CenterX:0},{f.CenterY:0}) size {f.Width:0}x{f.Height:0} score {f.Score:0.00}")));
        var face = Assert.Single(faces);
        // The skin oval is centred at (w/2+dx, 0.48h+dy+0.05r), r = 0.28*min(w,h); BlazeFace's box spans brows to mouth.
        var r = 0.28f * Math.Min(width, height);
        Assert.InRange(face.CenterX, width / 2f + dx - 0.25f * r, width / 2f + dx + 0.25f * r);
        Assert.InRange(face.CenterY, 0.48f * height + dy - 0.1f * r, 0.48f * height + dy + 0.5f * r);
        Assert.InRange(face.Width, 1.0f * r, 2.4f * r);
        Assert.InRange(face.KeyPoints.MouthY, face.KeyPoints.NoseY, face.Top + face.Height + 0.2f * r);
        Assert.True(face.KeyPoints.RightEyeY < face.KeyPoints.NoseY);
    }

    [Fact]
    public void A_missing_model_is_a_clear_error()
    {
        Assert.Throws<FileNotFoundException>(() => new BlazeFaceDetector("/nonexistent/blazeface.onnx"));
    }
}
