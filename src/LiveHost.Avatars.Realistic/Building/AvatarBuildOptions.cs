using LiveHost.Avatars.Packages;

namespace LiveHost.Avatars.Realistic.Building;

/// <summary>What <see cref="AvatarPackageBuilder"/> makes a package from.</summary>
public sealed record AvatarBuildOptions
{
    /// <summary>The recorded video of the person (anything ffmpeg reads).</summary>
    public required string VideoPath { get; init; }

    /// <summary>The package directory to create (must be empty or not exist).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>
    /// The person's consent. Its <c>recordingSha256</c> must be the SHA-256 of <see cref="VideoPath"/>. An unsigned
    /// record is signed here with <see cref="SigningKeyPem"/>; a signed one is used as it is, never signed again.
    /// </summary>
    public required ConsentRecord Consent { get; init; }

    /// <summary>PKCS#8 PEM of the issuer's ECDSA P-256 private key, or null when the consent is already signed.</summary>
    public string? SigningKeyPem { get; init; }

    /// <summary>The clock the consent's expiry is checked against.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string? Id { get; init; }

    public string? DisplayName { get; init; }

    /// <summary>
    /// Package width in pixels; the height follows the video's aspect (rounded to even). The default is the room's
    /// default width (1280: a 16:9 recording gives 1280x720), so the room shows the frames without upscaling them.
    /// </summary>
    public int Width { get; init; } = DefaultWidth;

    public const int DefaultWidth = 1280;

    /// <summary>How much of the video to use, from its start (the idle loop's length before ping-pong).</summary>
    public double Seconds { get; init; } = 8;

    public double Fps { get; init; } = 25;

    public int JpegQuality { get; init; } = 90;

    /// <summary>The BlazeFace model; null or missing: every frame gets the fallback box (with a warning).</summary>
    public string? FaceModelPath { get; init; }

    public float DetectionThreshold { get; init; } = 0.6f;

    /// <summary>The face box when no face is found in any frame, as fractions of the frame.</summary>
    public RelativeRegion FallbackFace { get; init; } = new(0.35f, 0.15f, 0.3f, 0.5f);

    /// <summary>Frames either side averaged when smoothing the face track.</summary>
    public int SmoothingRadius { get; init; } = 3;

    /// <summary>A Wav2Lip-contract ONNX model to copy into the package (models/lipsync.onnx), or null.</summary>
    public string? LipSyncModelPath { get; init; }

    /// <summary>
    /// The sentences read in the recording, one per line (UTF-8 text). When given, the build also cuts a mouth atlas
    /// from the whole recording (<see cref="Atlas.MouthAtlasBuilder"/>) and the package gets <c>lipSync: atlas</c>.
    /// </summary>
    public string? TranscriptPath { get; init; }

    /// <summary>The transcript's language for espeak-ng: "en" or "zh".</summary>
    public string TranscriptLanguage { get; init; } = "en";

    /// <summary>The audio viseme model the atlas alignment listens with (onnx-models/viseme/viseme-v1.onnx).</summary>
    public string? VisemeModelPath { get; init; }

    /// <summary>Mouth samples kept per viseme in the atlas.</summary>
    public int AtlasSamplesPerViseme { get; init; } = 4;

    /// <summary>
    /// Segments of the recording to cut as actions (<c>--action wave:12.5-15</c>): each joins the idle loop where the
    /// frames match best (<see cref="Actions.ActionSegmentWriter"/>).
    /// </summary>
    public IReadOnlyList<Actions.ActionRequest> Actions { get; init; } = [];

    /// <summary>How far either side of an action's requested start and end the builder looks for its entry and exit frames.</summary>
    public double ActionSearchSeconds { get; init; } = 0.5;

    public string FfmpegPath { get; init; } = "ffmpeg";

    public string FfprobePath { get; init; } = "ffprobe";
}

/// <summary>What a build produced.</summary>
/// <param name="FramesWithFace">Frames where BlazeFace found a face (0 when the fallback box was used throughout).</param>
/// <param name="Warnings">Things the person running the build should know (e.g. "no face found: fallback box").</param>
/// <param name="Atlas">What the mouth-atlas step found (labels per recording frame), or null when no transcript was given.</param>
/// <param name="Actions">The actions cut (with the recording's typical frame-to-frame change), or null when none were asked for.</param>
public sealed record AvatarBuildResult(
    string PackageDirectory, AvatarPackageManifest Manifest, int FramesWithFace, IReadOnlyList<string> Warnings,
    Atlas.MouthAtlasBuildResult? Atlas = null, Actions.ActionBuildResult? Actions = null);
