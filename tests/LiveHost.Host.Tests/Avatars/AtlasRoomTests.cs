using LiveHost.Avatars;
using LiveHost.Avatars.Realistic;
using LiveHost.Speech;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>
/// Room main showing the package with a mouth atlas (<see cref="SyntheticAvatarPackage.AtlasPackageDirectory"/>) and
/// <c>MouthSource</c> "audio": the viseme model listens to the room's espeak-ng audio, and the atlas draws the sample of
/// the viseme it heard. One line through the real host.
/// </summary>
[Collection(AvatarHostCollection.Name)]
public sealed class AtlasRoomTests(SyntheticAvatarPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task An_atlas_room_with_MouthSource_audio_draws_on_each_frame_the_sample_of_the_viseme_the_model_heard()
    {
        var settings = package.Settings(package.NewRevocationList(), package: package.AtlasPackageDirectory);
        settings["Rooms:main:MouthSource"] = "audio";
        settings["Avatars:VisemeModelPath"] = TestPaths.VisemeModel;
        await using var host = new AvatarTestHost(settings);
        host.Start();

        var frames = await host.SpeakAsync("Welcome back to the show, everyone.");

        Assert.True(host.Recorder.Inner is AudioDrivenMouthAvatar { Inner: RealisticAvatar { Atlas: not null } }, "the room is not an audio-driven atlas avatar");
        var heard = frames.Count(f => f.AudioViseme is { } v && v != Viseme.Silence);
        output.WriteLine($"{frames.Count} frames, {frames.Count(f => f.AudioViseme is not null)} with the audio's viseme, {heard} of them not Silence");
        Assert.True(heard >= 10, $"the model heard speech on only {heard} frames");
        // Each frame's atlas sample is the audio's viseme; where the model was late, the phoneme viseme (Silence outside a line).
        Assert.All(frames, f => Assert.Equal(f.AudioViseme ?? (f.Speaking ? f.PhonemeViseme : Viseme.Silence), f.AtlasViseme));
    }
}
