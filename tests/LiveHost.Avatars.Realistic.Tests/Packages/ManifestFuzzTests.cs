using System.Text;
using LiveHost.Avatars.Packages;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.Avatars.Realistic.Tests.Packages;

public sealed class ManifestFuzzTests : IDisposable
{
    private readonly TestPackages _packages = new();

    [Fact]
    public void Mutated_manifests_are_either_loaded_or_refused_never_crash()
    {
        using var verifier = _packages.Verifier();
        var time = new FakeTimeProvider(TestPackages.Now);
        var path = _packages.Write(frames: 3, width: 16, height: 16);
        var original = File.ReadAllBytes(Path.Combine(path, "manifest.json"));
        var random = new Random(4242);
        var loaded = 0;
        var refused = 0;
        for (var round = 0; round < 1500; round++)
        {
            var mutated = Mutate(original, random);
            File.WriteAllBytes(Path.Combine(path, "manifest.json"), mutated);
            try
            {
                AvatarPackageLoader.Load(path, verifier, time);
                loaded++;
            }
            catch (AvatarPackageRejectedException)
            {
                refused++;
            }
        }

        Assert.True(refused > 1000, $"only {refused} of 1500 mutations were refused");
        Assert.Equal(1500, loaded + refused);
    }

    [Fact]
    public void Random_frame_patterns_parse_or_fail_without_exceptions_and_stay_inside_the_package()
    {
        var random = new Random(7);
        const string alphabet = "%0123456789d./\\:abcjpg-_";
        for (var i = 0; i < 5000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 20)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            if (!FramePathPattern.TryParse(text, out var pattern)) continue;
            var name = pattern.PathOf(random.Next(0, 100_000));
            Assert.False(Path.IsPathRooted(name));
            Assert.DoesNotContain("..", name.Split('/'));
        }
        Assert.True(FramePathPattern.TryParse("frames/%05d.jpg", out var good));
        Assert.Equal("frames/00042.jpg", good.PathOf(42));
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var edits = random.Next(1, 6);
        for (var i = 0; i < edits; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, (byte)"{}[]\",:0-9en"[random.Next(12)]); break;
                case 3: bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 40))); break;
                default:
                    var digits = System.Text.Encoding.ASCII.GetBytes(random.Next(-5, 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    bytes.InsertRange(at, digits);
                    break;
            }
        }
        return [.. bytes];
    }

    public void Dispose() => _packages.Dispose();
}
