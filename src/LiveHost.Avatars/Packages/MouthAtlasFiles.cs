using System.Security.Cryptography;
using SkiaSharp;

namespace LiveHost.Avatars.Packages;

/// <summary>
/// Reads a package's mouth-atlas samples at load and refuses the package unless every sample exists inside it, is a
/// PNG of the atlas cell size, and all of them together hash to <c>atlas.sha256</c> (the samples the builder cut
/// from the consented recording, none swapped since).
/// </summary>
public static class MouthAtlasFiles
{
    /// <summary>The SHA-256 (lower-case hex) over sample files' bytes in order, as <c>atlas.sha256</c> records it.</summary>
    public static string Sha256(IEnumerable<string> sampleFiles) => AvatarPackageLoader.FramesSha256(sampleFiles);

    internal static ReadOnlyMemory<byte>[] Read(string directory, MouthAtlas atlas)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var samples = new ReadOnlyMemory<byte>[atlas.Samples.Count];
        for (var i = 0; i < samples.Length; i++)
        {
            var relative = atlas.Samples[i].Path;
            var file = Path.GetFullPath(Path.Combine(directory, relative));
            if (!file.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
            {
                throw AvatarPackageLoader.Reject(directory, PackageRejection.InvalidAtlasSample, $"atlas sample {i} ({relative}) does not exist in the package");
            }
            var bytes = File.ReadAllBytes(file);
            using (var data = SKData.CreateCopy(bytes))
            using (var codec = SKCodec.Create(data))
            {
                if (codec is null || codec.EncodedFormat != SKEncodedImageFormat.Png)
                {
                    throw AvatarPackageLoader.Reject(directory, PackageRejection.InvalidAtlasSample, $"atlas sample {i} ({relative}) is not a PNG image");
                }
                if (codec.Info.Width != atlas.CellWidth || codec.Info.Height != atlas.CellHeight)
                {
                    throw AvatarPackageLoader.Reject(directory, PackageRejection.InvalidAtlasSample,
                        $"atlas sample {i} ({relative}) is {codec.Info.Width}x{codec.Info.Height}; the atlas cell is {atlas.CellWidth}x{atlas.CellHeight}");
                }
            }
            hash.AppendData(bytes);
            samples[i] = bytes;
        }
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!string.Equals(actual, atlas.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw AvatarPackageLoader.Reject(directory, PackageRejection.AtlasNotFromRecording,
                $"the atlas samples hash to {actual}, not to atlas.sha256 {atlas.Sha256}: they are not the samples cut from the consented recording " +
                "(swapped or edited after the build)");
        }
        return samples;
    }
}
