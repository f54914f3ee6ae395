using System.Security.Cryptography;
using System.Text.Json;
using SkiaSharp;

namespace LiveHost.Avatars.Packages;

/// <summary>
/// Opens an avatar package directory and refuses it, with an <see cref="AvatarPackageRejectedException"/> naming
/// the reason, unless: the manifest parses and is complete; its consent is valid now (checked before any frame is
/// read: no likeness is touched without consent); the recording the package was made from is the one the consent
/// covers (<c>recording.sha256</c> = <c>consent.recordingSha256</c>); every frame exists, decodes as a JPEG of the
/// package size and there are exactly <c>frames.count</c> of them, with one face box each, and together they hash to
/// <c>recording.framesSha256</c> (no frame swapped since the build); every referenced model's SHA-256 matches; and
/// the mouth atlas, when there is one, is complete and hashes to <c>atlas.sha256</c> (<see cref="MouthAtlasFiles"/>).
/// </summary>
public static class AvatarPackageLoader
{
    public const int MaxFrames = 20_000;
    public const int MaxDimension = 4096;

    public static AvatarPackage Load(string path, ConsentVerifier consent, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(consent);
        ArgumentNullException.ThrowIfNull(time);
        var directory = Path.GetFullPath(path);
        var manifestPath = Path.Combine(directory, AvatarPackageManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw Reject(directory, PackageRejection.MissingManifest, $"no {AvatarPackageManifest.FileName} in {directory}");
        }

        var manifest = ReadManifest(directory, manifestPath);
        var status = consent.Verify(manifest.Consent, time.GetUtcNow(), out var detail);
        if (status != ConsentStatus.Valid) throw Reject(directory, AvatarPackageRejectedException.FromConsent(status), detail);
        CheckRecording(directory, manifest);

        var frames = ReadFrames(directory, manifest, out var framesSha256);
        if (!string.Equals(framesSha256, manifest.Recording!.FramesSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw Reject(directory, PackageRejection.FramesNotFromRecording,
                $"the frames hash to {framesSha256}, not to recording.framesSha256 {manifest.Recording.FramesSha256}: " +
                "they are not the frames made from the consented recording (swapped or edited after the build)");
        }
        CheckModel(directory, manifest.Models?.LipSync, "lipSync");
        CheckModel(directory, manifest.Models?.Viseme, "viseme");
        var atlas = manifest.Atlas is { } mouths ? MouthAtlasFiles.Read(directory, mouths) : [];
        // Action frames follow the loop's in one index space (see AvatarPackage.ActionStart).
        foreach (var action in manifest.Actions ?? []) frames = [.. frames, .. ReadActionFrames(directory, manifest, action)];
        return new AvatarPackage(directory, manifest, frames, atlas);
    }

    private static AvatarPackageManifest ReadManifest(string directory, string manifestPath)
    {
        AvatarPackageManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<AvatarPackageManifest>(File.ReadAllBytes(manifestPath), AvatarPackageJson.Options);
        }
        catch (JsonException e)
        {
            throw Reject(directory, PackageRejection.InvalidManifest, $"manifest.json is not valid: {e.Message}", e);
        }
        if (manifest is null) throw Reject(directory, PackageRejection.InvalidManifest, "manifest.json is empty (null)");

        var problem = FindProblem(manifest);
        if (problem is not null) throw Reject(directory, PackageRejection.InvalidManifest, problem);
        return manifest;
    }

    /// <summary>What is wrong with a manifest's own fields (not its files), or null when nothing is.</summary>
    public static string? FindProblem(AvatarPackageManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.FormatVersion != AvatarPackageManifest.CurrentFormatVersion)
        {
            return $"formatVersion is {manifest.FormatVersion}; this server reads {AvatarPackageManifest.CurrentFormatVersion}";
        }
        if (string.IsNullOrWhiteSpace(manifest.Id)) return "id is missing";
        if (manifest.Kind != AvatarPackageManifest.RealisticKind) return $"kind '{manifest.Kind}' is not '{AvatarPackageManifest.RealisticKind}'";
        if (!(manifest.Fps is > 0 and <= 120)) return $"fps {manifest.Fps} is outside (0, 120]";
        if (manifest.Width is <= 0 or > MaxDimension || manifest.Height is <= 0 or > MaxDimension)
        {
            return $"size {manifest.Width}x{manifest.Height} is outside 1..{MaxDimension}";
        }
        if (!PresenterFraming.TryParseCrop(manifest.Crop, out _))
        {
            return $"crop '{manifest.Crop}' is not one of {string.Join(", ", PresenterFraming.CropNames)}";
        }
        if (manifest.Frames is not { } frames) return "frames is missing";
        if (!FramePathPattern.TryParse(frames.Source, out _)) return $"frames.source '{frames.Source}' is not a relative pattern like frames/%05d.jpg";
        if (frames.Count is <= 0 or > MaxFrames) return $"frames.count {frames.Count} is outside 1..{MaxFrames}";
        if (frames.Loop is not (FrameSource.PingPong or FrameSource.Forward)) return $"frames.loop '{frames.Loop}' is not pingpong or forward";
        if (manifest.Faces is not { } faces) return "faces is missing";
        if (!faces.MouthRegion.IsValid) return "faces.mouthRegion is not a region inside the face box";
        for (var i = 0; i < faces.Boxes.Count; i++)
        {
            if (!faces.Boxes[i].FitsIn(manifest.Width, manifest.Height))
            {
                return $"faces.boxes[{i}] {faces.Boxes[i]} is empty or outside the {manifest.Width}x{manifest.Height} frame";
            }
        }
        if (manifest.LipSync is not null && manifest.LipSync != AvatarPackageManifest.AtlasLipSync)
        {
            return $"lipSync '{manifest.LipSync}' is not '{AvatarPackageManifest.AtlasLipSync}' (leave it out to use models.lipSync)";
        }
        if (manifest.LipSync == AvatarPackageManifest.AtlasLipSync && manifest.Atlas is null) return "lipSync is 'atlas' but the package has no atlas";
        if (PackageAction.FindProblem(manifest.Actions, manifest.Width, manifest.Height, frames.Count) is { } actionProblem) return actionProblem;
        return manifest.Atlas?.FindProblem()
            ?? CheckModelFields(manifest.Models?.LipSync, "lipSync") ?? CheckModelFields(manifest.Models?.Viseme, "viseme");
    }

    private static string? CheckModelFields(ModelReference? model, string name)
    {
        if (model is null) return null;
        if (string.IsNullOrWhiteSpace(model.Contract)) return $"models.{name}.contract is missing";
        if (!FramePathPattern.IsSafeRelativePath(model.Path)) return $"models.{name}.path '{model.Path}' must be relative and stay inside the package";
        if (model.Sha256.Length != 64 || !model.Sha256.All(Uri.IsHexDigit)) return $"models.{name}.sha256 is not 64 hex digits";
        if (model.ChannelOrder is not (ModelReference.Bgr or ModelReference.Rgb)) return $"models.{name}.channelOrder must be 'bgr' or 'rgb', not '{model.ChannelOrder}'";
        return null;
    }

    private static void CheckRecording(string directory, AvatarPackageManifest manifest)
    {
        if (manifest.Recording is not { } recording || !ConsentRecordChecks.IsSha256(recording.Sha256) || !ConsentRecordChecks.IsSha256(recording.FramesSha256))
        {
            throw Reject(directory, PackageRejection.RecordingMissing,
                "the manifest does not name the recording its frames came from (recording.sha256 and recording.framesSha256, 64 hex digits each); rebuild the package");
        }
        if (!string.Equals(recording.Sha256, manifest.Consent!.RecordingSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw Reject(directory, PackageRejection.RecordingMismatch,
                $"the package was made from recording {recording.Sha256.ToLowerInvariant()}, but consent '{manifest.Consent.Id}' covers recording {manifest.Consent.RecordingSha256!.ToLowerInvariant()}");
        }
    }

    /// <summary>The SHA-256 (lower-case hex) over frame files' bytes in order, as <c>recording.framesSha256</c> records it.</summary>
    public static string FramesSha256(IEnumerable<string> frameFiles)
    {
        ArgumentNullException.ThrowIfNull(frameFiles);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in frameFiles) hash.AppendData(File.ReadAllBytes(file));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static ReadOnlyMemory<byte>[] ReadFrames(string directory, AvatarPackageManifest manifest, out string framesSha256)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var source = manifest.Frames!;
        if (!FramePathPattern.TryParse(source.Source, out var pattern)) throw new InvalidOperationException("Manifest was not validated.");
        if (manifest.Faces!.Boxes.Count != source.Count)
        {
            throw Reject(directory, PackageRejection.FrameCountMismatch,
                $"frames.count is {source.Count} but faces.boxes has {manifest.Faces.Boxes.Count} entries");
        }
        var frames = new ReadOnlyMemory<byte>[source.Count];
        for (var i = 0; i < frames.Length; i++)
        {
            var file = Path.Combine(directory, pattern.PathOf(i));
            if (!File.Exists(file))
            {
                throw Reject(directory, PackageRejection.FrameCountMismatch,
                    $"frames.count is {source.Count} but frame {i} ({pattern.PathOf(i)}) does not exist");
            }
            var bytes = File.ReadAllBytes(file);
            CheckJpeg(directory, bytes, i, manifest.Width, manifest.Height);
            hash.AppendData(bytes);
            frames[i] = bytes;
        }
        if (File.Exists(Path.Combine(directory, pattern.PathOf(source.Count))))
        {
            throw Reject(directory, PackageRejection.FrameCountMismatch,
                $"frames.count is {source.Count} but there are more frames ({pattern.PathOf(source.Count)} exists)");
        }
        framesSha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        return frames;
    }

    /// <summary>
    /// An action's stored frames: each a JPEG of the package size, exactly <c>count</c> of them, hashing to its
    /// <c>sha256</c> (cut from the consented recording, none swapped since).
    /// </summary>
    private static ReadOnlyMemory<byte>[] ReadActionFrames(string directory, AvatarPackageManifest manifest, PackageAction action)
    {
        if (!FramePathPattern.TryParse(action.Frames, out var pattern)) throw new InvalidOperationException("Manifest was not validated.");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var frames = new ReadOnlyMemory<byte>[action.Count];
        for (var i = 0; i < frames.Length; i++)
        {
            var file = Path.Combine(directory, pattern.PathOf(i));
            if (!File.Exists(file))
            {
                throw Reject(directory, PackageRejection.FrameCountMismatch,
                    $"action '{action.Name}' has count {action.Count} but its frame {i} ({pattern.PathOf(i)}) does not exist");
            }
            var bytes = File.ReadAllBytes(file);
            CheckJpeg(directory, bytes, i, manifest.Width, manifest.Height, $"action '{action.Name}' ");
            hash.AppendData(bytes);
            frames[i] = bytes;
        }
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!string.Equals(actual, action.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw Reject(directory, PackageRejection.FramesNotFromRecording,
                $"the frames of action '{action.Name}' hash to {actual}, not to its sha256 {action.Sha256}: they are not the frames cut from " +
                "the consented recording (swapped or edited after the build)");
        }
        return frames;
    }

    private static void CheckJpeg(string directory, byte[] bytes, int index, int width, int height, string of = "")
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.EncodedFormat != SKEncodedImageFormat.Jpeg)
        {
            throw Reject(directory, PackageRejection.InvalidFrame, $"{of}frame {index} is not a JPEG image");
        }
        if (codec.Info.Width != width || codec.Info.Height != height)
        {
            throw Reject(directory, PackageRejection.InvalidFrame,
                $"{of}frame {index} is {codec.Info.Width}x{codec.Info.Height}; the package is {width}x{height}");
        }
    }

    private static void CheckModel(string directory, ModelReference? model, string name)
    {
        if (model is null) return;
        var file = Path.GetFullPath(Path.Combine(directory, model.Path));
        if (!file.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            throw Reject(directory, PackageRejection.ModelMissing, $"models.{name} file {model.Path} does not exist in the package");
        }
        var actual = Sha256Of(file);
        if (!string.Equals(actual, model.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw Reject(directory, PackageRejection.ModelHashMismatch,
                $"models.{name} {model.Path} has sha256 {actual}; the manifest pins {model.Sha256.ToLowerInvariant()}");
        }
    }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string Sha256Of(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    internal static AvatarPackageRejectedException Reject(string directory, PackageRejection reason, string detail, Exception? inner = null) =>
        new(directory, reason, detail, inner);
}
