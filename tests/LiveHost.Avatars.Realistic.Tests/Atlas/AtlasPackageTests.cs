using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Atlas;
using LiveHost.Avatars.Realistic.Tests.Packages;
using LiveHost.Speech;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.Tests.Atlas;

/// <summary>Packages with a small hand-made atlas: one flat-coloured sample per listed viseme.</summary>
public sealed class AtlasPackageTests : IDisposable
{
    private const int Cell = 16;
    private readonly TestPackages _packages = new();

    [Fact]
    public void A_package_whose_atlas_sample_was_swapped_after_the_build_is_refused()
    {
        var directory = WriteAtlasPackage(Viseme.Silence, Viseme.AA);
        WritePng(Path.Combine(directory, "atlas/aa-0.png"), SKColors.Purple, Cell, Cell);

        var e = Load(directory);

        Assert.Equal(PackageRejection.AtlasNotFromRecording, e.Reason);
    }

    public static TheoryData<string, string> BadAtlases() => new()
    {
        { "no silence", "no Silence sample" },
        { "unknown viseme", "'Smile' is not one of" },
        { "numeric viseme", "'3' is not one of" },
        { "escaping path", "must be relative and stay inside the package" },
        { "unknown lip sync", "lipSync 'magic' is not 'atlas'" },
        { "atlas lip sync without atlas", "lipSync is 'atlas' but the package has no atlas" },
        { "zero cell", "atlas cell 0x16 is outside" },
        { "null samples", "atlas has 0 samples" },
        { "null sample", "atlas.samples[1] is null" },
        { "null hash", "atlas.sha256 is not 64 hex digits" },
    };

    [Theory]
    [MemberData(nameof(BadAtlases))]
    public void A_manifest_with_a_broken_atlas_is_refused_with_a_message_naming_the_field(string problem, string says)
    {
        var directory = WriteAtlasPackage(Viseme.Silence, Viseme.AA);
        var manifest = ReadManifest(directory);
        var atlas = manifest.Atlas!;
        manifest = problem switch
        {
            "no silence" => manifest with { Atlas = atlas with { Samples = [atlas.Samples[1]] } },
            "unknown viseme" => manifest with { Atlas = atlas with { Samples = [atlas.Samples[0], atlas.Samples[1] with { Viseme = "Smile" }] } },
            "numeric viseme" => manifest with { Atlas = atlas with { Samples = [atlas.Samples[0], atlas.Samples[1] with { Viseme = "3" }] } },
            "escaping path" => manifest with { Atlas = atlas with { Samples = [atlas.Samples[0], atlas.Samples[1] with { Path = "../aa.png" }] } },
            "unknown lip sync" => manifest with { LipSync = "magic" },
            "atlas lip sync without atlas" => manifest with { Atlas = null },
            "null samples" => manifest with { Atlas = atlas with { Samples = null! } },
            "null sample" => manifest with { Atlas = atlas with { Samples = [atlas.Samples[0], null!] } },
            "null hash" => manifest with { Atlas = atlas with { Sha256 = null! } },
            _ => manifest with { Atlas = atlas with { CellWidth = 0 } },
        };
        TestPackages.WriteManifest(directory, manifest);

        var e = Load(directory);

        Assert.Equal(PackageRejection.InvalidManifest, e.Reason);
        Assert.Contains(says, e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_atlas_sample_of_the_wrong_size_is_refused()
    {
        var directory = WriteAtlasPackage(Viseme.Silence);
        WritePng(Path.Combine(directory, "atlas/silence-0.png"), SKColors.Gray, Cell + 1, Cell);

        var e = Load(directory);

        Assert.Equal(PackageRejection.InvalidAtlasSample, e.Reason);
        Assert.Contains("17x16; the atlas cell is 16x16", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_viseme_fades_in_over_the_previous_sample_and_a_viseme_without_samples_borrows_the_nearest_shape()
    {
        var package = Loaded(WriteAtlasPackage(Viseme.Silence, Viseme.AA, Viseme.O));
        using var mouth = new AtlasMouth(package);
        using var bitmap = new SKBitmap(64, 48);
        using var canvas = new SKCanvas(bitmap);
        var face = new SKRect(16, 8, 48, 40);

        mouth.Draw(new AvatarFrame(0, 0, Viseme.AA, 0, Speaking: false), canvas, face);
        Assert.Equal((Viseme.Silence, 1f), (mouth.LastViseme, mouth.LastFade));
        mouth.Draw(new AvatarFrame(1, 0.04, Viseme.AA, 0.5f, Speaking: true), canvas, face);
        Assert.Equal(Viseme.AA, mouth.LastViseme);
        Assert.InRange(mouth.LastFade, 0.6f, 0.7f);
        mouth.Draw(new AvatarFrame(2, 0.08, Viseme.AA, 0.5f, Speaking: true), canvas, face);
        Assert.Equal(1f, mouth.LastFade);
        // U has no sample: it borrows O's (rounded lips), not the closed mouth.
        mouth.Draw(new AvatarFrame(3, 0.12, Viseme.U, 0.5f, Speaking: true), canvas, face);
        Assert.Equal(nameof(Viseme.O), package.Atlas!.Samples[mouth.LastSample].Viseme);
    }

    private string WriteAtlasPackage(params Viseme[] visemes)
    {
        var directory = _packages.Write("atlas-pkg");
        Directory.CreateDirectory(Path.Combine(directory, "atlas"));
        var samples = new List<MouthSample>();
        foreach (var viseme in visemes)
        {
            var relative = $"atlas/{viseme.ToString().ToLowerInvariant()}-0.png";
            WritePng(Path.Combine(directory, relative), new SKColor((byte)(20 * (int)viseme), 60, 60), Cell, Cell);
            samples.Add(new MouthSample(viseme.ToString(), relative, samples.Count, 0.9f, 10));
        }
        var atlas = new MouthAtlas
        {
            CellWidth = Cell, CellHeight = Cell, Alignment = MouthAtlasBuilder.AlignmentName, Samples = samples,
            Sha256 = MouthAtlasFiles.Sha256(samples.Select(s => Path.Combine(directory, s.Path))),
        };
        TestPackages.WriteManifest(directory, ReadManifest(directory) with { LipSync = AvatarPackageManifest.AtlasLipSync, Atlas = atlas });
        return directory;
    }

    private static AvatarPackageManifest ReadManifest(string directory) =>
        System.Text.Json.JsonSerializer.Deserialize<AvatarPackageManifest>(File.ReadAllBytes(Path.Combine(directory, AvatarPackageManifest.FileName)),
            AvatarPackageJson.Options)!;

    private static void WritePng(string path, SKColor color, int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, png.ToArray());
    }

    private AvatarPackage Loaded(string directory)
    {
        using var verifier = _packages.Verifier();
        return AvatarPackageLoader.Load(directory, verifier, new FakeTimeProvider(TestPackages.Now));
    }

    private AvatarPackageRejectedException Load(string directory) => Assert.Throws<AvatarPackageRejectedException>(() => Loaded(directory));

    public void Dispose() => _packages.Dispose();
}
