using System.Text.Json;
using LiveHost.Avatars.Packages;
using LiveHost.Avatars.TestSupport;
using LiveHost.Host.Avatars;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Builder = LiveHost.Tools.AvatarBuilder.Program;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>
/// The README's studio workflow, step by step, with the AvatarBuilder tool's own entry point and the README's
/// arguments: consent.example.json as the consent, sign-consent, build, the host's settings, a revocation. The
/// "recording" is a synthetic face video (TEST FIXTURE, not a person); the package is built at 320 px for 2 s to keep
/// the test short (the README's build uses the defaults, 1280 px and 8 s).
/// </summary>
[Collection(AvatarHostCollection.Name)]
public sealed class StudioWorkflowTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _studio = Directory.CreateTempSubdirectory("livehost-studio-").FullName;

    private string At(string name) => Path.Combine(_studio, name);

    [Fact]
    public async Task The_studio_workflow_in_the_README_takes_a_recording_live_and_a_revocation_stops_it()
    {
        // 1. Record, and write the consent from the documented example.
        await SyntheticFaceVideo.WriteAsync(At("anna.mp4"), 320, 240, 25, 2, SyntheticVideoContent.StillLipsFace);
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "onnx-models", "tools", "AvatarBuilder", "consent.example.json"), At("consent.json"));

        // 2. Sign.
        Assert.Equal(0, await Builder.Main(["sign-consent", "--consent", At("consent.json"), "--recording", At("anna.mp4"),
            "--out", At("anna-consent.signed.json"), "--key", At("studio.pem"), "--key-id", "studio-2026"]));
        Assert.True(File.Exists(At("studio.pub.pem")));

        // 3. Build from the same recording.
        Assert.Equal(0, await Builder.Main(["--video", At("anna.mp4"), "--out", At("avatars/anna"), "--id", "anna-2026",
            "--consent", At("anna-consent.signed.json"), "--width", "320", "--seconds", "2", "--action", "nod:0.4-1", "--action", "smile:1-1.6"]));
        var manifest = JsonSerializer.Deserialize<AvatarPackageManifest>(File.ReadAllBytes(At("avatars/anna/manifest.json")), AvatarPackageJson.Options)!;
        Assert.Equal(["nod", "smile"], manifest.Actions!.Select(a => a.Name));
        Assert.Equal(AvatarPackageLoader.Sha256Of(At("anna.mp4")), manifest.Recording!.Sha256);
        Assert.Equal("anna-example-2026-livestream", manifest.Consent!.Id);

        // 4. Configure the host and go live.
        await File.WriteAllTextAsync(At("revoked.json"), """{ "revoked": [] }""");
        await using var host = new AvatarTestHost(new Dictionary<string, string>
        {
            ["Avatars:TrustedKeys:studio-2026"] = At("studio.pub.pem"),
            ["Avatars:RevocationListPath"] = At("revoked.json"),
            ["Rooms:main:Avatar"] = At("avatars/anna"),
        });
        host.Start();
        var stopped = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Factory.Services.GetRequiredService<AvatarConsentWatcher>().RoomStopped += (room, reason) => stopped.TrySetResult($"{room}: {reason}");
        await host.Recorder.WhenFramesAsync(10).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(host.Room.StoppedReason);
        Assert.Equal(["nod", "smile"], host.Room.Controller.GetState().Actions);

        // 5. Revoke, by the exact signature in the package's manifest.
        await File.WriteAllTextAsync(At("revoked.json"),
            $$"""{ "revoked": [ { "signature": "{{manifest.Consent.Signature}}", "reason": "the subject withdrew" } ] }""");
        var stop = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));

        output.WriteLine(stop);
        Assert.StartsWith("main: ", stop, StringComparison.Ordinal);
        Assert.Contains("the subject withdrew", stop, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> RefusedSignings() => new()
    {
        // consent.json content, what the error says, what must not exist afterwards
        { """{"name":"X"}""", "subject (the person whose likeness this is) is missing", "studio.pem" },
        { "missing", "the consent record", "studio.pem" },
        { Example(c => c with { ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1) }), "the consent expired at", "studio.pem" },
        { Example(c => c with { Scope = ["advertising"] }), "does not include \"livestream\"", "studio.pem" },
        { Example(c => c with { Signature = "MEUCIQ-already-signed" }), "already signed", "studio.pem" },
    };

    [Theory]
    [MemberData(nameof(RefusedSignings))]
    public async Task Sign_consent_refuses_a_record_it_cannot_sign_before_making_a_key(string consent, string says, string notMade)
    {
        await File.WriteAllTextAsync(At("anna.mp4"), "the recording's bytes");
        if (consent != "missing") await File.WriteAllTextAsync(At("consent.json"), consent);
        var error = new StringWriter();
        var previous = Console.Error;

        int code;
        Console.SetError(error);
        try
        {
            code = await Builder.Main(["sign-consent", "--consent", At("consent.json"), "--recording", At("anna.mp4"),
                "--out", At("signed.json"), "--key", At("studio.pem")]);
        }
        finally
        {
            Console.SetError(previous);
        }

        output.WriteLine(error.ToString());
        Assert.Equal(1, code);
        Assert.Contains(says, error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(At(notMade)));
        Assert.False(File.Exists(At("signed.json")));
    }

    [Fact]
    public async Task The_build_refuses_an_expired_consent_and_leaves_no_folder()
    {
        await SyntheticFaceVideo.WriteAsync(At("anna.mp4"), 160, 120, 25, 1, SyntheticVideoContent.StillLipsFace);
        var (privateKey, _) = ConsentSigner.CreateKeyPair();
        await File.WriteAllTextAsync(At("studio.pem"), privateKey);
        var expired = JsonSerializer.Deserialize<ConsentRecord>(Example(c => c with
        {
            IssuedAt = DateTimeOffset.UtcNow.AddYears(-2), ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1),
            RecordingSha256 = AvatarPackageLoader.Sha256Of(At("anna.mp4")),
        }), AvatarPackageJson.Options)!;
        await File.WriteAllBytesAsync(At("signed.json"), JsonSerializer.SerializeToUtf8Bytes(ConsentSigner.Sign(expired, privateKey), AvatarPackageJson.Options));

        var code = await Builder.Main(["--video", At("anna.mp4"), "--out", At("avatars/anna"), "--consent", At("signed.json"), "--width", "160"]);

        Assert.Equal(1, code);
        Assert.False(Directory.Exists(At("avatars/anna")));
        Assert.False(Directory.Exists(At("avatars")));
    }

    /// <summary>consent.example.json, changed by <paramref name="edit"/>, as JSON.</summary>
    private static string Example(Func<ConsentRecord, ConsentRecord> edit)
    {
        var path = Path.Combine(TestPaths.RepositoryRoot, "onnx-models", "tools", "AvatarBuilder", "consent.example.json");
        var example = JsonSerializer.Deserialize<ConsentRecord>(File.ReadAllBytes(path), AvatarPackageJson.Options)!;
        return JsonSerializer.Serialize(edit(example), AvatarPackageJson.Options);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_studio, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
