using System.Text.Json;
using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Building;

namespace LiveHost.Tools.AvatarBuilder;

/// <summary>
/// <code>
/// AvatarBuilder sign-consent --consent consent.json --out signed.json --key signing-key.pem [--key-id ID]
///               [--recording person.mp4] [--consent-video consent.mp4]
///     (creates signing-key.pem and signing-key.pub.pem when the key file does not exist yet)
/// AvatarBuilder --video person.mp4 --out pkgdir --consent signed.json [--key signing-key.pem]
///               [--width 1280] [--seconds 8] [--fps 25] [--id ID] [--name "Display Name"]
///               [--face-model onnx-models/blazeface/face_detection_front_128x128_barracuda.onnx] [--lipsync-model m.onnx]
///               [--transcript sentences.txt [--language en|zh] [--viseme-model onnx-models/viseme/viseme-v1.onnx] [--samples-per-viseme 4]]
///               [--action name:startSec-endSec ...] [--action-search 0.5]
/// </code>
/// Each <c>--action</c> (repeatable; names: lower-case letters, digits and '-', 1-32 characters) cuts that segment of the
/// recording into the package as an action, joined to the idle loop at the frames near its ends that best match an
/// idle frame (searched within <c>--action-search</c> seconds either side).
/// consent.json holds the consent fields (id, subject, scope, issuedAt, expiresAt, issuer, keyId, recordingSha256,
/// optional consentVideoSha256; see onnx-models/tools/AvatarBuilder/consent.example.json, and
/// LiveHost.Avatars.Packages.ConsentCanonicalForm for exactly what is signed). Both commands refuse an incomplete,
/// expired or out-of-scope record, a missing file, or (sign-consent) an already signed record before doing anything
/// else. Give the server the .pub.pem under Avatars:TrustedKeys:&lt;keyId&gt;.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] == "sign-consent") return SignConsent(Arguments.Parse(args[1..]));
            if (args.Length == 0 || args[0] is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }
            return await BuildAsync(Arguments.Parse(args));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or JsonException or FileNotFoundException or FormatException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }

    private const string Usage = """
        AvatarBuilder sign-consent --consent consent.json --out signed.json --key signing-key.pem [--key-id ID]
                      [--recording person.mp4] [--consent-video consent.mp4]
        AvatarBuilder --video person.mp4 --out pkgdir --consent signed.json [--key signing-key.pem] [--width 1280]
                      [--seconds 8] [--fps 25] [--id ID] [--name NAME] [--face-model PATH] [--lipsync-model PATH]
                      [--transcript sentences.txt [--language en|zh] [--viseme-model PATH] [--samples-per-viseme 4]]
                      [--action name:startSec-endSec ...] [--action-search 0.5]
        """;

    private static async Task<int> BuildAsync(Arguments a)
    {
        var consentPath = RequireFile(a.Required("consent"), "consent record");
        var videoPath = RequireFile(a.Required("video"), "recording");
        var keyPath = a.Optional("key") is { } key ? RequireFile(key, "signing key") : null;
        _ = a.Required("out");
        var consent = ReadConsent(consentPath);
        var options = new AvatarBuildOptions
        {
            VideoPath = videoPath,
            OutputDirectory = a.Required("out"),
            Consent = consent,
            SigningKeyPem = keyPath is null ? null : File.ReadAllText(keyPath),
            Width = a.Int("width", AvatarBuildOptions.DefaultWidth),
            Seconds = a.Double("seconds", 8),
            Fps = a.Double("fps", 25),
            Id = a.Optional("id"),
            DisplayName = a.Optional("name"),
            FaceModelPath = a.Optional("face-model") ?? FindFaceModel(),
            LipSyncModelPath = a.Optional("lipsync-model"),
            TranscriptPath = a.Optional("transcript"),
            TranscriptLanguage = a.Optional("language") ?? "en",
            VisemeModelPath = a.Optional("viseme-model") ?? (a.Optional("transcript") is null ? null : FindRepositoryFile("onnx-models", "viseme", "viseme-v1.onnx")),
            AtlasSamplesPerViseme = a.Int("samples-per-viseme", 4),
            Actions = a.Many("action").Select(LiveHost.Avatars.Realistic.Actions.ActionRequest.Parse).ToArray(),
            ActionSearchSeconds = a.Double("action-search", 0.5),
        };
        var result = await new AvatarPackageBuilder().BuildAsync(options);
        foreach (var warning in result.Warnings) Console.Error.WriteLine("warning: " + warning);
        Console.WriteLine($"built {result.PackageDirectory}: {result.Manifest.Frames!.Count} frames " +
            $"{result.Manifest.Width}x{result.Manifest.Height}, face detected in {result.FramesWithFace}, loop {result.Manifest.Frames.Loop}");
        if (result.Atlas is { } atlas)
        {
            var agree = atlas.Labels.Zip(atlas.ModelLabels).Count(pair => pair.First == pair.Second);
            Console.WriteLine($"mouth atlas: {atlas.Atlas.Samples.Count} samples over {atlas.Atlas.Samples.Select(s => s.Viseme).Distinct().Count()} visemes " +
                $"from {atlas.Labels.Length} recording frames; the aligned labels agree with the audio model alone on {agree} of them");
        }
        foreach (var action in result.Manifest.Actions ?? [])
        {
            Console.WriteLine($"action {action.Name}: recording frames {action.Entry.Frame}-{action.Exit.Frame} ({action.Count} frames); " +
                $"enters after idle frame {action.Entry.IdleFrame} (difference {action.Entry.Difference:0.00}), returns to idle frame " +
                $"{action.Exit.IdleFrame} (difference {action.Exit.Difference:0.00}); typical frame-to-frame difference {result.Actions!.MedianStep:0.00}");
        }
        return 0;
    }

    private static int SignConsent(Arguments a)
    {
        // Every check before anything is written: no key pair is made for a consent that will be refused.
        var keyPath = a.Required("key");
        var outPath = a.Required("out");
        var consent = ReadConsent(RequireFile(a.Required("consent"), "consent record"));
        if (!string.IsNullOrEmpty(consent.Signature))
        {
            throw new InvalidOperationException(
                $"consent '{consent.Id}' is already signed; it is not signed again (a new signature would not match a revocation by the original one).");
        }
        if (a.Optional("recording") is { } recording) consent = WithHash(consent, RequireFile(recording, "recording"), "recordingSha256",
            consent.RecordingSha256, hash => consent with { RecordingSha256 = hash });
        if (a.Optional("consent-video") is { } video) consent = WithHash(consent, RequireFile(video, "consent video"), "consentVideoSha256",
            consent.ConsentVideoSha256, hash => consent with { ConsentVideoSha256 = hash });
        if (a.Optional("key-id") is { } keyId) consent = consent with { KeyId = keyId };
        if (string.IsNullOrWhiteSpace(consent.Id)) consent = consent with { Id = Guid.NewGuid().ToString("D") };
        if (string.IsNullOrWhiteSpace(consent.KeyId)) consent = consent with { KeyId = Path.GetFileNameWithoutExtension(keyPath) };
        var problems = ConsentRecordChecks.FindProblems(consent, DateTimeOffset.UtcNow);
        if (problems.Count > 0) throw new InvalidOperationException("the consent record is refused: " + string.Join("; ", problems) + ".");

        if (!File.Exists(keyPath))
        {
            var (privatePem, publicPem) = ConsentSigner.CreateKeyPair();
            File.WriteAllText(keyPath, privatePem);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var publicPath = Path.ChangeExtension(keyPath, null) + ".pub.pem";
            File.WriteAllText(publicPath, publicPem);
            Console.WriteLine($"created key pair {keyPath} (keep private) and {publicPath} (give to the server)");
        }
        var signed = ConsentSigner.Sign(consent, File.ReadAllText(keyPath));
        File.WriteAllBytes(outPath, JsonSerializer.SerializeToUtf8Bytes(signed, AvatarPackageJson.Options));
        Console.WriteLine($"signed consent {signed.Id} for {signed.Subject} with key {signed.KeyId}; signature {signed.Signature}");
        return 0;
    }

    /// <summary>The record with a file's SHA-256 in one of its hash fields; refused when the record already names another.</summary>
    private static ConsentRecord WithHash(ConsentRecord consent, string file, string field, string? current, Func<string, ConsentRecord> set)
    {
        var hash = AvatarPackageLoader.Sha256Of(file);
        if (!string.IsNullOrEmpty(current) && !string.Equals(current, hash, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"consent '{consent.Id}' has {field} {current}, but {file} is {hash}.");
        }
        return set(hash);
    }

    private static string RequireFile(string path, string what) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"the {what} {path} does not exist.");

    private static ConsentRecord ReadConsent(string path) =>
        JsonSerializer.Deserialize<ConsentRecord>(File.ReadAllBytes(path), AvatarPackageJson.Options)
        ?? throw new InvalidOperationException($"{path} holds no consent record.");

    private static string? FindFaceModel() => FindRepositoryFile("onnx-models", "blazeface", "face_detection_front_128x128_barracuda.onnx");

    /// <summary>A file of the checkout, found by walking up from the tool's folder; null when it is not there.</summary>
    private static string? FindRepositoryFile(params string[] parts)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine([directory.FullName, .. parts]);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
