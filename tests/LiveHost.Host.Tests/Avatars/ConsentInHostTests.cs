using System.Net.Http.Json;
using System.Diagnostics;
using System.Net;
using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic;
using LiveHost.Host.Avatars;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>Consent on a live host: refused at start without a valid one, and the room stops when it is withdrawn.</summary>
[Collection(AvatarHostCollection.Name)]
public sealed class ConsentInHostTests(SyntheticAvatarPackage package, ITestOutputHelper output)
{
    /// <param name="atlas">The room shows the package whose mouths come from its atlas (samples cut from the recording).</param>
    /// <param name="action">The room is playing one of the package's actions (frames cut from the recording) when the consent is revoked.</param>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Revoking_the_consent_of_a_live_package_stops_its_room_within_5_seconds(bool atlas, bool action)
    {
        var revocations = package.NewRevocationList();
        await using var host = new AvatarTestHost(package.Settings(revocations, package: atlas ? package.AtlasPackageDirectory : null));
        host.Start();
        await host.WaitForFramesAsync(25, TimeSpan.FromSeconds(15));
        // The atlas room really draws mouths from the atlas, so what the revocation stops is the atlas being shown.
        if (atlas) Assert.True(host.Recorder.Inner is RealisticAvatar { Atlas.LastSample: >= 0 }, "the atlas room does not draw atlas samples");
        if (action)
        {
            // Revoked while the action's frames are on screen: they stop with the room like the loop's.
            using var producer = host.Client();
            Assert.Equal(HttpStatusCode.OK, (await producer.PostAsync($"/api/rooms/main/actions/{SyntheticAvatarPackage.ActionName}", null)).StatusCode);
            for (var seen = host.Recorder.Frames.Count; host.Recorder.Playing is null && seen < 400; seen++) await host.Recorder.WhenFramesAsync(seen + 1);
            Assert.Equal(SyntheticAvatarPackage.ActionName, host.Recorder.Playing);
        }

        var revokedAt = Stopwatch.GetTimestamp();
        ConsentRevocationList.Write(revocations,
            [new ConsentRevocationList.RevocationEntry { ConsentId = SyntheticAvatarPackage.ConsentId, Reason = "the subject withdrew consent" }]);

        // Stopped: the reason is set, and no frame is drawn for a full second after the last one.
        var deadline = revokedAt + 10 * Stopwatch.Frequency;
        while (host.Room.StoppedReason is null && Stopwatch.GetTimestamp() < deadline) await Task.Delay(50);
        Assert.NotNull(host.Room.StoppedReason);
        // The reason is set before the engine loop ends, so a frame already being drawn may still land. StopAsync is
        // idempotent (the first reason stays) and completes once the loop, outputs and encoder have ended: count then.
        await host.Room.StopAsync(host.Room.StoppedReason).WaitAsync(TimeSpan.FromSeconds(10));
        var framesAtStop = host.Recorder.Frames.Count;
        await Task.Delay(1000);
        var frames = host.Recorder.Frames;
        var lastFrameAfter = Stopwatch.GetElapsedTime(revokedAt, frames[^1].RenderedAt);
        output.WriteLine($"reason: {host.Room.StoppedReason}; last frame drawn {lastFrameAfter.TotalMilliseconds:F0} ms after the revocation was written; " +
            $"frames after the stop was reported: {frames.Count - framesAtStop}");

        Assert.Contains("Revoked", host.Room.StoppedReason, StringComparison.Ordinal);
        Assert.Contains("the subject withdrew consent", host.Room.StoppedReason, StringComparison.Ordinal);
        Assert.True(lastFrameAfter < TimeSpan.FromSeconds(5), $"frames were still drawn {lastFrameAfter.TotalSeconds:F1} s after the revocation");
        Assert.Equal(framesAtStop, frames.Count);
        Assert.True(host.Room.Engine.FrameIndex <= frames[^1].FrameIndex + 1);

        using var client = host.Client();
        var health = await client.GetAsync("/healthz");
        var body = await health.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("stopped", body, StringComparison.Ordinal);
        Assert.Contains(atlas ? "synthetic-atlas-host-test" : "synthetic-host-test", body, StringComparison.Ordinal);

        // A line sent now would never be spoken: it is refused, saying why, rather than accepted and lost.
        var line = await client.PostAsJsonAsync("/api/rooms/main/lines", new { text = "are you still there?" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, line.StatusCode);
        Assert.Contains("stopped", await line.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Two rooms, each showing the synthetic face under its own signature of consent <c>shared-id</c> (a consent id
    /// reused for two records): a revocation naming one signature stops that room alone, either way round.
    /// </summary>
    [Theory]
    [InlineData("main")]
    [InlineData("second")]
    public async Task Revoking_one_of_two_records_with_one_consent_id_stops_only_the_room_showing_it(string revoked)
    {
        var mainPackage = package.CopyUnderNewConsent("studio-main", "shared-id");
        var secondPackage = package.CopyUnderNewConsent("studio-second", "shared-id");
        var revocations = package.NewRevocationList();
        var settings = package.Settings(revocations);
        settings["Rooms:main:Avatar"] = mainPackage;
        settings["Rooms:second:Avatar"] = secondPackage;
        settings["Rooms:second:Width"] = "320";
        settings["Rooms:second:Height"] = "240";
        await using var host = new AvatarTestHost(settings);
        host.Start();
        var recorders = (RecordingAvatarFactory)host.Factory.Services.GetRequiredService<IAvatarFactory>();
        var watcher = host.Factory.Services.GetRequiredService<AvatarConsentWatcher>();
        var stopped = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.RoomStopped += (room, _) => stopped.TrySetResult(room);
        await Task.WhenAll(recorders.Room("main").WhenFramesAsync(10), recorders.Room("second").WhenFramesAsync(10)).WaitAsync(TimeSpan.FromSeconds(30));

        var signature = ReadConsent(revoked == "main" ? mainPackage : secondPackage).Signature;
        ConsentRevocationList.Write(revocations, [new ConsentRevocationList.RevocationEntry { Signature = signature, Reason = "this recording only" }]);
        var stoppedRoom = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var kept = revoked == "main" ? "second" : "main";
        var rooms = host.Factory.Services.GetRequiredService<LiveHost.Host.Rooms.LiveRooms>().All;
        Assert.Equal(revoked, stoppedRoom);
        Assert.Contains("this recording only", rooms.Single(r => r.Name == revoked).StoppedReason, StringComparison.Ordinal);
        // The other room keeps drawing: 25 more frames after the stop.
        var keptRecorder = recorders.Room(kept);
        await keptRecorder.WhenFramesAsync(keptRecorder.Frames.Count + 25).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(rooms.Single(r => r.Name == kept).StoppedReason);
    }

    [Fact]
    public async Task Two_packages_with_one_id_under_different_consents_refuse_the_start()
    {
        var first = package.CopyUnderNewConsent("astro", "consent-anna");
        var second = package.CopyUnderNewConsent("astro", "consent-ben");
        var settings = package.Settings(package.NewRevocationList());
        settings["Rooms:main:Avatar"] = first;
        settings["Rooms:second:Avatar"] = second;
        await using var host = new AvatarTestHost(settings);

        var error = Assert.ThrowsAny<Exception>(host.Start);

        var refused = Assert.IsType<AvatarPackageRejectedException>(error.GetBaseException());
        output.WriteLine(refused.Message);
        Assert.Equal(PackageRejection.DuplicateId, refused.Reason);
        Assert.Contains("package id 'astro' is already used", refused.Message, StringComparison.Ordinal);
        Assert.Contains("consent-anna", refused.Message, StringComparison.Ordinal);
        Assert.Contains("consent-ben", refused.Message, StringComparison.Ordinal);
    }

    private static ConsentRecord ReadConsent(string packageDirectory) =>
        System.Text.Json.JsonSerializer.Deserialize<AvatarPackageManifest>(
            File.ReadAllBytes(Path.Combine(packageDirectory, AvatarPackageManifest.FileName)), AvatarPackageJson.Options)!.Consent!;

    public static TheoryData<string, PackageRejection, string> UntrustedConsents() => new()
    {
        // trusted key, rejection, what the message must say
        { "other", PackageRejection.ConsentBadSignature, "does not verify against key 'test-issuer'" },
        { "none", PackageRejection.ConsentUnknownKey, "which this server does not trust" },
        { "revoked", PackageRejection.ConsentRevoked, "was revoked: withdrawn before the show" },
    };

    [Theory]
    [MemberData(nameof(UntrustedConsents))]
    public async Task A_package_without_valid_consent_refuses_the_start_with_a_clear_message(string trust, PackageRejection rejection, string says)
    {
        var revocations = package.NewRevocationList();
        if (trust == "revoked")
        {
            ConsentRevocationList.Write(revocations,
                [new ConsentRevocationList.RevocationEntry { ConsentId = SyntheticAvatarPackage.ConsentId, Reason = "withdrawn before the show" }]);
        }
        var settings = package.Settings(revocations, trust == "other" ? package.OtherPublicKeyPath : null);
        if (trust == "none") settings.Remove($"Avatars:TrustedKeys:{SyntheticAvatarPackage.KeyId}");
        await using var host = new AvatarTestHost(settings);

        var error = Assert.ThrowsAny<Exception>(host.Start);

        var refused = Assert.IsType<AvatarPackageRejectedException>(error.GetBaseException());
        output.WriteLine(refused.Message);
        Assert.Equal(rejection, refused.Reason);
        Assert.Contains($"Avatar package {package.PackageDirectory} refused ({rejection})", refused.Message, StringComparison.Ordinal);
        Assert.Contains(says, refused.Message, StringComparison.Ordinal);
    }
}
