using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Tests.Packages;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.Tests;

/// <summary>
/// The frame cache hands each tick its own stored frame, scaled to the room, whatever the worker has or has not made
/// ahead: frames are solid colours, one per stored frame, so a slot shown for the wrong tick shows the wrong colour.
/// </summary>
public sealed class PrescaledFrameCacheTests : IDisposable
{
    private const int Frames = 9;
    private readonly TestPackages _packages = new();

    [Fact]
    public void Every_tick_gets_its_own_stored_frame_scaled_to_the_room_in_order_across_turns_and_jumps()
    {
        var package = SolidColourPackage();
        using var cache = new PrescaledFrameCache(package, 96, 54);
        using var pixels = new SKBitmap(new SKImageInfo(96, 54, SKColorType.Bgra8888, SKAlphaType.Premul));
        // Ticks in order across two ping-pong turns, then jumps forward and back (a room catching up, a restart).
        long[] ticks = [.. Enumerable.Range(0, 40).Select(t => (long)t), 1000, 1001, 7, 8, 9, 500, 3];

        var wrong = new List<string>();
        foreach (var tick in ticks)
        {
            var image = cache.Acquire(tick);
            Assert.True(image.ReadPixels(pixels.Info, pixels.GetPixels(), pixels.RowBytes, 0, 0));
            var expected = Colour(package.LoopFrame(tick));
            // Centre and a corner: the frame covers the whole room (16:9 package into a 16:9 room).
            foreach (var (x, y) in new[] { (48, 27), (1, 1), (94, 52) })
            {
                var actual = pixels.GetPixel(x, y);
                if (Distance(actual, expected) > 12) wrong.Add($"tick {tick} ({x},{y}): {actual} for frame {package.LoopFrame(tick)} {expected}");
            }
        }

        Assert.Empty(wrong);
        Assert.Equal(96, cache.Width);
        Assert.Equal(2f, cache.Scale);
    }

    private AvatarPackage SolidColourPackage()
    {
        var path = _packages.Write(name: "colours", frames: Frames, width: 48, height: 27);
        for (var i = 0; i < Frames; i++)
        {
            using var bitmap = new SKBitmap(48, 27);
            bitmap.Erase(Colour(i));
            using var image = SKImage.FromBitmap(bitmap);
            using var data = image.Encode(SKEncodedImageFormat.Jpeg, 95);
            File.WriteAllBytes(Path.Combine(path, $"frames/{i:D5}.jpg"), data.ToArray());
        }
        TestPackages.RecordFrames(path);
        using var verifier = _packages.Verifier();
        return AvatarPackageLoader.Load(path, verifier, new FakeTimeProvider(TestPackages.Now));
    }

    private static SKColor Colour(int frame) => new((byte)(20 + 25 * frame), (byte)(230 - 25 * frame), (byte)(frame % 2 == 0 ? 60 : 180));

    private static int Distance(SKColor a, SKColor b) =>
        Math.Max(Math.Abs(a.Red - b.Red), Math.Max(Math.Abs(a.Green - b.Green), Math.Abs(a.Blue - b.Blue)));

    public void Dispose() => _packages.Dispose();
}
