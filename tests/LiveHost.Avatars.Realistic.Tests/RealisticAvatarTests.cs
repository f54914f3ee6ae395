using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Tests.Packages;
using LiveHost.Avatars.TestSupport;
using LiveHost.Inference;
using LiveHost.Inference.Models;
using LiveHost.Inference.Onnx;
using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.Tests;

/// <summary>
/// Uses the inference helper's analytic Wav2Lip-contract fixture (tests/LiveHost.Inference.Tests/Fixtures/
/// test_wav2lip.onnx): its output is the reference crop with rows 60..83 (the mouth) scaled by 0.5 + sigmoid(mean mel),
/// so the audio changes the mouth rows and nothing else.
/// </summary>
public sealed class RealisticAvatarTests : IDisposable
{
    private const int Width = 320;
    private const int Height = 180;
    private readonly TestPackages _packages = new();
    private readonly OnnxModelHost _host = new(Options.Create(new InferenceOptions { PreferGpu = false }), NullLoggerFactory.Instance);

    private static string FixtureModel =>
        Path.Combine(TestDirectory.RepositoryRoot, "tests", "LiveHost.Inference.Tests", "Fixtures", "test_wav2lip.onnx");

    [Fact]
    public void Frames_follow_the_ping_pong_loop_at_the_package_rate_scaled_to_the_canvas()
    {
        var package = Load(frames: 4);
        using var avatar = new RealisticAvatar(package);
        using var bitmap = new SKBitmap(Width, Height);
        using var canvas = new SKCanvas(bitmap);

        var shown = new List<int>();
        for (var i = 0; i < 14; i++)
        {
            // Room at 50 fps, package at 25: each stored frame shows twice.
            avatar.Render(new AvatarFrame(i, i / 50.0, Viseme.Silence, 0, false), canvas, Width, Height);
            shown.Add(avatar.LastPackageFrame);
        }

        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 1, 1, 0, 0], shown);
        Assert.NotEqual(SKColors.Transparent, bitmap.GetPixel(1, 1));
        Assert.NotEqual(SKColors.Transparent, bitmap.GetPixel(Width - 2, Height - 2));
    }

    [Fact]
    public void Audio_changes_the_mouth_region_and_leaves_everything_outside_the_face_box_untouched()
    {
        var package = Load(frames: 1);
        var model = new Wav2LipModel(_host, FixtureModel);
        using var plain = new RealisticAvatar(package);
        using var synced = new RealisticAvatar(package, model, new RealisticAvatarOptions { LipSyncWait = TimeSpan.FromSeconds(5) });

        using var reference = Render(plain, Audio(0));
        using var silent = Render(synced, Audio(0));
        using var loud = Render(synced, Audio(0.6f));
        // Each Render draws two frames of the same audio, and lip-sync shows a frame's mouth on the next frame: frames
        // 2, 3 and 4 carried a generated mouth (frame 3 silent's, frame 4 loud's), and none was late.
        Assert.Equal(3, synced.LipSyncedFrames);
        Assert.Equal(0, synced.LateFrames);

        var face = synced.LastFaceRect;
        var mouth = MouthRows(face);
        var outside = Difference(reference, loud, (x, y) => !face.Contains(x + 0.5f, y + 0.5f));
        var loudVsSilentMouth = Difference(silent, loud, (x, y) => mouth.Contains(x + 0.5f, y + 0.5f));
        var loudVsSilentUpperFace = Difference(silent, loud, (x, y) => face.Contains(x + 0.5f, y + 0.5f) && y < face.MidY);

        Assert.Equal(0, outside.Max);
        Assert.True(loudVsSilentMouth.Mean > 10, $"audio moved the mouth by only {loudVsSilentMouth.Mean:0.0} levels");
        Assert.True(loudVsSilentUpperFace.Max <= 1, $"the upper face changed by up to {loudVsSilentUpperFace.Max}");
    }

    [Fact]
    public void Louder_audio_gives_a_larger_model_response_in_the_mouth()
    {
        var package = Load(frames: 1);
        var model = new Wav2LipModel(_host, FixtureModel);
        using var plain = new RealisticAvatar(package);
        using var synced = new RealisticAvatar(package, model, new RealisticAvatarOptions { LipSyncWait = TimeSpan.FromSeconds(5) });
        using var reference = Render(plain, Audio(0));

        var levels = new[] { 0f, 0.05f, 0.6f }.Select(amplitude =>
        {
            using var frame = Render(synced, Audio(amplitude));
            var mouth = MouthRows(synced.LastFaceRect);
            return Difference(reference, frame, (x, y) => mouth.Contains(x + 0.5f, y + 0.5f)).Mean;
        }).ToArray();

        // The fixture darkens the mouth by 0.5 + sigmoid(mean mel): most in silence (mel -4), less as energy rises.
        Assert.True(levels[0] > levels[1] && levels[1] > levels[2], $"mouth changes {string.Join(", ", levels.Select(l => l.ToString("0.0")))}");
    }

    [Fact]
    public void Feathered_mask_is_zero_on_the_upper_half_and_soft_at_the_edges()
    {
        var mask = new LiveHost.Avatars.Realistic.LipSync.FeatheredMask(96, 0.12f);

        Assert.All(mask.Alpha.AsSpan(0, 48 * 96).ToArray(), a => Assert.Equal(0f, a));
        Assert.True(mask.Alpha[75 * 96 + 48] > 0.99f);
        Assert.True(mask.Alpha[75 * 96 + 0] < 0.05f);
        Assert.True(mask.Alpha[95 * 96 + 48] < 0.05f);
        var ramp = Enumerable.Range(48, 14).Select(y => mask.Alpha[y * 96 + 48]).ToArray();
        Assert.Equal(ramp.Order(), ramp);
        Assert.True(ramp[6] > 0.2f && ramp[6] < 0.8f);
    }

    private AvatarPackage Load(int frames)
    {
        var path = _packages.Write(name: "face" + frames, frames: frames, width: 160, height: 90, edit: m => m with
        {
            Faces = m.Faces! with { Boxes = Enumerable.Repeat(new FaceBox(50, 10, 60, 70), frames).ToArray() },
        });
        // Put a real (drawn) face in the frames so the mouth rows have something to scale.
        for (var i = 0; i < frames; i++)
        {
            using var face = SyntheticFace.Bitmap(160, 90, dy: i);
            using var image = SKImage.FromBitmap(face);
            using var data = image.Encode(SKEncodedImageFormat.Jpeg, 95);
            File.WriteAllBytes(Path.Combine(path, $"frames/{i:D5}.jpg"), data.ToArray());
        }
        TestPackages.RecordFrames(path);
        using var verifier = _packages.Verifier();
        return AvatarPackageLoader.Load(path, verifier, new FakeTimeProvider(TestPackages.Now));
    }

    private static float[] Audio(float amplitude)
    {
        var audio = new float[2 * AvatarFrame.AudioContextSamples];
        var random = new Random(1);
        for (var i = 0; i < audio.Length; i++)
        {
            audio[i] = amplitude * (0.6f * MathF.Sin(2 * MathF.PI * 220 * i / 48000f) + 0.4f * (float)(random.NextDouble() * 2 - 1));
        }
        return audio;
    }

    /// <summary>
    /// Draws two frames with the same audio and returns the second: lip-sync is pipelined one frame deep, so the mouth
    /// made for this audio shows on the frame after the one that sent it.
    /// </summary>
    private static SKBitmap Render(RealisticAvatar avatar, float[] audio)
    {
        var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        for (var i = 0; i < 2; i++)
        {
            canvas.Clear(SKColors.Black);
            avatar.Render(new AvatarFrame(i, 0, Viseme.Silence, 0, false, audio), canvas, Width, Height);
        }
        return bitmap;
    }

    /// <summary>The fixture's mouth rows (60..83 of 96) of the face box, inset from the feathered sides.</summary>
    private static SKRect MouthRows(SKRect face) => new(
        face.Left + face.Width * 0.25f, face.Top + face.Height * 64 / 96f, face.Right - face.Width * 0.25f, face.Top + face.Height * 80 / 96f);

    private static (double Mean, int Max) Difference(SKBitmap a, SKBitmap b, Func<int, int, bool> where)
    {
        var pa = a.GetPixelSpan();
        var pb = b.GetPixelSpan();
        long sum = 0;
        var count = 0;
        var max = 0;
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                if (!where(x, y)) continue;
                var i = (y * a.Width + x) * 4;
                var d = Math.Abs(pa[i] - pb[i]) + Math.Abs(pa[i + 1] - pb[i + 1]) + Math.Abs(pa[i + 2] - pb[i + 2]);
                sum += d;
                max = Math.Max(max, d);
                count++;
            }
        }
        return (count == 0 ? 0 : (double)sum / count / 3, max);
    }

    public void Dispose()
    {
        _host.Dispose();
        _packages.Dispose();
    }
}
