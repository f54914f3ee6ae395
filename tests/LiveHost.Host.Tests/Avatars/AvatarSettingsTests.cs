using LiveHost.Host.Configuration;
using Microsoft.Extensions.Configuration;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>Avatar choices and the Avatars section are checked at start, each problem named by its setting.</summary>
public sealed class AvatarSettingsTests
{
    public static TheoryData<string, string, string> BadSettings() => new()
    {
        { "Rooms:main:MouthSource", "lips", "Rooms:main:MouthSource must be \"phonemes\" or \"audio\"" },
        { "Rooms:main:Avatar", "/nowhere/package", "Rooms:main:Avatar must be \"cartoon\" or an avatar package directory" },
        { "Avatars:TrustedKeys:studio", "/nowhere/key.pem", "Avatars:TrustedKeys:studio: the key file '/nowhere/key.pem' does not exist" },
        { "Avatars:RevocationListPath", "/nowhere/at/all/revoked.json", "Avatars:RevocationListPath: the folder of" },
        { "Avatars:ConsentRecheckInterval", "00:00:10", "Avatars:ConsentRecheckInterval must be" },
        { "Avatars:VisemeWaitMilliseconds", "0", "Avatars:VisemeWaitMilliseconds must be 1..1000" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Each_invalid_avatar_setting_is_reported_by_name(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        var errors = LiveHostSettings.Bind(configuration).Validate();

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void An_audio_driven_mouth_needs_the_viseme_model_file()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rooms:main:MouthSource"] = "audio",
            ["Avatars:VisemeModelPath"] = "/nowhere/viseme.onnx",
        }).Build();

        var errors = LiveHostSettings.Bind(configuration).Validate();

        Assert.Contains(errors, e => e.Contains("Rooms:main:MouthSource is \"audio\" but the viseme model Avatars:VisemeModelPath '/nowhere/viseme.onnx' does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void The_defaults_use_the_cartoon_with_phoneme_visemes_and_are_valid()
    {
        var settings = LiveHostSettings.Load(new ConfigurationBuilder().Build());

        Assert.Equal(("cartoon", "phonemes"), (settings.Rooms["main"].Avatar, settings.Rooms["main"].MouthSource));
        Assert.Empty(settings.Avatars.TrustedKeys);
    }
}
