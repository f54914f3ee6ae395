using System.Text.Json;
using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Building;
using LiveHost.Avatars.Realistic.FaceDetection;

namespace LiveHost.Tools.AvatarBuilder;

/// <summary>
/// <code>
/// AvatarBuilder --video in.mp4 --out pkgdir --consent consent.json --key signing-key.pem
///               [--width 640] [--seconds 8] [--fps 25] [--id ID] [--name "Display Name"]
///               [--face-model onnx-models/blazeface/face_detection_front_128x128_barracuda.onnx] [--lipsync-model m.onnx]
/// AvatarBuilder sign-consent --consent consent.json --out signed.json --key signing-key.pem [--key-id ID]
///     (creates signing-key.pem and signing-key.pub.pem when the key file does not exist yet)
/// </code>
/// consent.json holds the consent fields (id, subject, scope, issuedAt, expiresAt, issuer, keyId); see
/// LiveHost.Avatars.Packages.ConsentCanonicalForm for exactly what is signed. Give the server the .pub.pem under
/// Consent:TrustedKeys:&lt;keyId&gt;.
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
        AvatarBuilder --video in.mp4 --out pkgdir --consent consent.json --key signing-key.pem [--width 640] [--seconds 8]
                      [--fps 25] [--id ID] [--name NAME] [--face-model PATH] [--lipsync-model PATH]
        AvatarBuilder sign-consent --consent consent.json --out signed.json --key signing-key.pem [--key-id ID]
        """;

    private static async Task<int> BuildAsync(Arguments a)
    {
        var consent = ReadConsent(a.Required("consent"));
        var keyPath = a.Optional("key");
        var options = new AvatarBuildOptions
        {
            VideoPath = a.Required("video"),
            OutputDirectory = a.Required("out"),
            Consent = consent,
            SigningKeyPem = keyPath is null ? null : File.ReadAllText(keyPath),
            Width = a.Int("width", 640),
            Seconds = a.Double("seconds", 8),
            Fps = a.Double("fps", 25),
            Id = a.Optional("id"),
            DisplayName = a.Optional("name"),
            FaceModelPath = a.Optional("face-model") ?? FindFaceModel(),
            LipSyncModelPath = a.Optional("lipsync-model"),
        };
        var result = await new AvatarPackageBuilder().BuildAsync(options);
        foreach (var warning in result.Warnings) Console.Error.WriteLine("warning: " + warning);
        Console.WriteLine($"built {result.PackageDirectory}: {result.Manifest.Frames!.Count} frames " +
            $"{result.Manifest.Width}x{result.Manifest.Height}, face detected in {result.FramesWithFace}, loop {result.Manifest.Frames.Loop}");
        return 0;
    }

    private static int SignConsent(Arguments a)
    {
        var keyPath = a.Required("key");
        if (!File.Exists(keyPath))
        {
            var (privatePem, publicPem) = ConsentSigner.CreateKeyPair();
            File.WriteAllText(keyPath, privatePem);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var publicPath = Path.ChangeExtension(keyPath, null) + ".pub.pem";
            File.WriteAllText(publicPath, publicPem);
            Console.WriteLine($"created key pair {keyPath} (keep private) and {publicPath} (give to the server)");
        }
        var consent = ReadConsent(a.Required("consent"));
        if (a.Optional("key-id") is { } keyId) consent = consent with { KeyId = keyId };
        if (string.IsNullOrWhiteSpace(consent.Id)) consent = consent with { Id = Guid.NewGuid().ToString("D") };
        if (string.IsNullOrWhiteSpace(consent.KeyId)) consent = consent with { KeyId = Path.GetFileNameWithoutExtension(keyPath) };
        var signed = ConsentSigner.Sign(consent, File.ReadAllText(keyPath));
        File.WriteAllBytes(a.Required("out"), JsonSerializer.SerializeToUtf8Bytes(signed, AvatarPackageJson.Options));
        Console.WriteLine($"signed consent {signed.Id} for {signed.Subject} with key {signed.KeyId}");
        return 0;
    }

    private static ConsentRecord ReadConsent(string path) =>
        JsonSerializer.Deserialize<ConsentRecord>(File.ReadAllBytes(path), AvatarPackageJson.Options)
        ?? throw new InvalidOperationException($"{path} holds no consent record.");

    private static string? FindFaceModel()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = BlazeFaceDetector.DefaultModelPath(directory.FullName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
