using LiveHost.Avatars.Packages;
using LiveHost.Engine.Options;

namespace LiveHost.Host.Avatars;

/// <summary>
/// Configuration section "Avatars": whose consent signatures the server trusts and where revocations are published
/// (<see cref="ConsentOptions"/>: <c>Avatars:TrustedKeys:{keyId}</c> = PEM path, <c>Avatars:RevocationListPath</c>),
/// the viseme model that drives mouths from audio, and how long a frame waits for a model.
/// </summary>
public sealed class AvatarHostOptions
{
    public const string SectionName = "Avatars";
    public const string DefaultVisemeModel = "onnx-models/viseme/viseme-v1.onnx";

    /// <summary>keyId -> path of a PEM file holding that consent issuer's ECDSA P-256 public key.</summary>
    public Dictionary<string, string> TrustedKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>JSON file of revoked consents; none when empty. A configured file that cannot be read refuses every package.</summary>
    public string? RevocationListPath { get; set; }

    /// <summary>How often live packages' consent is re-checked (a revocation must stop the room within 5 s).</summary>
    public TimeSpan ConsentRecheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The viseme model used by rooms with <c>MouthSource</c> "audio" (relative paths: from the checkout, see <see cref="Configuration.LiveHostPaths"/>).</summary>
    public string VisemeModelPath { get; set; } = DefaultVisemeModel;

    /// <summary>How long a frame waits for its viseme before it is drawn with the phoneme viseme.</summary>
    public int VisemeWaitMilliseconds { get; set; } = 20;

    /// <summary>
    /// How long a frame of a realistic avatar waits for the lip-sync result sent one frame earlier (which has had a whole
    /// tick already) before showing the recorded mouth.
    /// </summary>
    public int LipSyncWaitMilliseconds { get; set; } = 10;

    public ConsentOptions ToConsentOptions() => new()
    {
        TrustedKeys = new Dictionary<string, string>(TrustedKeys, StringComparer.Ordinal),
        RevocationListPath = RevocationListPath,
        RecheckInterval = ConsentRecheckInterval,
    };

    /// <summary>Every problem with these settings and with the rooms' avatar choices, one message each.</summary>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, RoomOptions> rooms)
    {
        var errors = new List<string>();
        foreach (var (keyId, path) in TrustedKeys)
        {
            if (string.IsNullOrWhiteSpace(path) || !File.Exists(path)) errors.Add($"{SectionName}:TrustedKeys:{keyId}: the key file '{path}' does not exist.");
        }
        if (!string.IsNullOrWhiteSpace(RevocationListPath))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(RevocationListPath));
            if (folder is null || !Directory.Exists(folder)) errors.Add($"{SectionName}:RevocationListPath: the folder of '{RevocationListPath}' does not exist.");
        }
        if (ConsentRecheckInterval < TimeSpan.FromMilliseconds(100) || ConsentRecheckInterval > TimeSpan.FromSeconds(4))
        {
            errors.Add($"{SectionName}:ConsentRecheckInterval must be 00:00:00.1 to 00:00:04 so a revocation stops a room within 5 s (was {ConsentRecheckInterval}).");
        }
        if (VisemeWaitMilliseconds is < 1 or > 1000) errors.Add($"{SectionName}:VisemeWaitMilliseconds must be 1..1000 (was {VisemeWaitMilliseconds}).");
        if (LipSyncWaitMilliseconds is < 1 or > 1000) errors.Add($"{SectionName}:LipSyncWaitMilliseconds must be 1..1000 (was {LipSyncWaitMilliseconds}).");
        foreach (var (name, room) in rooms)
        {
            if (string.IsNullOrWhiteSpace(room.Avatar)) continue;
            if (!room.IsCartoon && !File.Exists(Path.Combine(room.Avatar, AvatarPackageManifest.FileName)))
            {
                errors.Add($"Rooms:{name}:Avatar must be \"cartoon\" or an avatar package directory with a {AvatarPackageManifest.FileName}; '{room.Avatar}' is neither.");
            }
            if (room.MouthSource == RoomOptions.AudioMouth && !File.Exists(VisemeModelPath))
            {
                errors.Add($"Rooms:{name}:MouthSource is \"audio\" but the viseme model {SectionName}:VisemeModelPath '{VisemeModelPath}' does not exist.");
            }
        }
        return errors;
    }
}
