using System.Text.Json.Serialization;

namespace LiveHost.Avatars.Packages;

/// <summary>
/// The <c>manifest.json</c> at the root of an avatar package directory. Example:
/// <code>
/// {
///   "formatVersion": 1, "id": "anna-studio", "displayName": "Anna", "kind": "realistic-2d",
///   "fps": 25, "width": 640, "height": 360, "crop": "waist-up",
///   "frames": { "source": "frames/%05d.jpg", "count": 200, "loop": "pingpong" },
///   "faces": { "detector": "blazeface-front-128", "mouthRegion": [0.2, 0.58, 0.6, 0.37],
///              "boxes": [[262, 64, 118, 132], ...one per frame...] },
///   "models": { "lipSync": { "contract": "wav2lip-96", "path": "models/wav2lip.onnx", "sha256": "..." } },
///   "consent": { "id": "...", "subject": "Anna Example", "scope": ["livestream"], "issuedAt": "...",
///                "expiresAt": "...", "issuer": "Studio legal", "keyId": "studio-2026",
///                "recordingSha256": "...", "signature": "..." },
///   "recording": { "sha256": "...same as consent.recordingSha256...", "framesSha256": "..." }
/// }
/// </code>
/// </summary>
public sealed record AvatarPackageManifest
{
    public const int CurrentFormatVersion = 1;
    public const string RealisticKind = "realistic-2d";
    public const string FileName = "manifest.json";

    public int FormatVersion { get; init; }

    public string Id { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public string Kind { get; init; } = "";

    public double Fps { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    /// <summary>
    /// How much of the person the frames show: <c>head</c>, <c>waist-up</c> (the default) or <c>full-body</c>. With the
    /// face boxes it tells the compositor where the figure is, so captions, the AI label and product cards lay out
    /// around it (<see cref="OverlayPlanner"/>).
    /// </summary>
    public string Crop { get; init; } = WaistUpCrop;

    public const string WaistUpCrop = "waist-up";

    public FrameSource? Frames { get; init; }

    public FaceTrack? Faces { get; init; }

    public PackageModels? Models { get; init; }

    public ConsentRecord? Consent { get; init; }

    /// <summary>The recording the frames were made from, and a digest of the frames themselves (see <see cref="PackageRecording"/>).</summary>
    public PackageRecording? Recording { get; init; }

    /// <summary>
    /// How the mouth is made at run time: <c>atlas</c> (<see cref="MouthAtlas"/>: recorded mouth samples picked per
    /// viseme, no neural weights), or null (the <c>models.lipSync</c> model when there is one, else the recorded mouth).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LipSync { get; init; }

    /// <summary>Mouth samples per viseme cut from the consented recording (see <see cref="MouthAtlas"/>), or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MouthAtlas? Atlas { get; init; }

    public const string AtlasLipSync = "atlas";

    /// <summary>
    /// Segments of the consented recording the presenter can play on demand (wave, point...), each joining the idle loop
    /// where the frames match best (see <see cref="PackageAction"/>), or null.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PackageAction>? Actions { get; init; }
}

/// <summary>
/// Ties a package to the recording its consent covers: <see cref="Sha256"/> is the SHA-256 of the recorded video file
/// the builder read (it must equal the consent's <see cref="ConsentRecord.RecordingSha256"/>), and
/// <see cref="FramesSha256"/> the SHA-256 over every frame file's bytes in order, written when the frames were made
/// from that recording; a frame swapped or edited afterwards no longer matches and the package is refused at load.
/// </summary>
public sealed record PackageRecording
{
    /// <summary>Lower-case hex SHA-256 of the recording file.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>Lower-case hex SHA-256 of the concatenated frame files (frame 0 first).</summary>
    public string FramesSha256 { get; init; } = "";
}

/// <summary>The package's frames: one JPEG per frame at package size, named by a printf-style pattern.</summary>
public sealed record FrameSource
{
    public const string PingPong = "pingpong";
    public const string Forward = "forward";

    /// <summary>Relative path pattern with one zero-padded index, e.g. <c>frames/%05d.jpg</c>; frames count from 0.</summary>
    public string Source { get; init; } = "";

    public int Count { get; init; }

    /// <summary>
    /// <c>pingpong</c>: the idle loop plays forward then backward (no jump at the seam); <c>forward</c>: it wraps.
    /// </summary>
    public string Loop { get; init; } = PingPong;
}

/// <summary>The face on every frame, and where the mouth is inside it.</summary>
public sealed record FaceTrack
{
    /// <summary>How the boxes were found, e.g. <c>blazeface-front-128</c> or <c>fallback-center</c>.</summary>
    public string Detector { get; init; } = "";

    public RelativeRegion MouthRegion { get; init; } = RelativeRegion.DefaultMouth;

    /// <summary>One box per frame, in package pixels.</summary>
    public IReadOnlyList<FaceBox> Boxes { get; init; } = [];
}

public sealed record PackageModels
{
    public ModelReference? LipSync { get; init; }

    public ModelReference? Viseme { get; init; }
}

/// <summary>A model file inside the package, pinned by its SHA-256 (lower-case hex).</summary>
public sealed record ModelReference
{
    /// <summary>The input/output contract, e.g. <c>wav2lip-96</c> (mel 1x1x80x16 + face 1x6x96x96 -> 1x3x96x96).</summary>
    public string Contract { get; init; } = "";

    /// <summary>Path relative to the package directory; it may not leave the directory.</summary>
    public string Path { get; init; } = "";

    public string Sha256 { get; init; } = "";

    /// <summary>
    /// Colour order of the model's image planes: <c>bgr</c> (default; Wav2Lip's inference feeds it OpenCV frames, so
    /// its weights expect BGR) or <c>rgb</c>.
    /// </summary>
    public string ChannelOrder { get; init; } = Bgr;

    public const string Bgr = "bgr";
    public const string Rgb = "rgb";
}

/// <summary>
/// The likeness owner's consent, signed by an issuer whose public key the server trusts. See
/// <see cref="ConsentCanonicalForm"/> for exactly which bytes are signed.
/// </summary>
public sealed record ConsentRecord
{
    public const string LivestreamScope = "livestream";

    /// <summary>Identifies this consent (a revocation names it).</summary>
    public string Id { get; init; } = "";

    /// <summary>The person whose likeness this is.</summary>
    public string Subject { get; init; } = "";

    /// <summary>What the likeness may be used for, e.g. <c>["livestream"]</c>.</summary>
    public IReadOnlyList<string> Scope { get; init; } = [];

    public DateTimeOffset IssuedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Who recorded the consent (a person or organisation).</summary>
    public string Issuer { get; init; } = "";

    /// <summary>Names the trusted public key the signature verifies against.</summary>
    public string KeyId { get; init; } = "";

    /// <summary>
    /// Lower-case hex SHA-256 of the recorded video this consent covers. Required: the builder refuses any other
    /// recording, and the host refuses a package made from another one.
    /// </summary>
    public string? RecordingSha256 { get; init; }

    /// <summary>Optional lower-case hex SHA-256 of the video in which the subject gave this consent.</summary>
    public string? ConsentVideoSha256 { get; init; }

    /// <summary>Base64 of the ECDSA P-256 / SHA-256 signature in IEEE P1363 form (r || s, 64 bytes).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Signature { get; init; }
}
