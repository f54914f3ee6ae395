using LiveHost.Speech;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.Speech.Tests;

/// <summary>Speech:Voices as configuration binds it, and the bad configurations refused at start, each naming its setting.</summary>
public sealed class SpeechVoiceConfigurationTests
{
    private static SpeechOptions Bind(params (string Key, string Value)[] settings)
    {
        // A later entry for a key replaces an earlier one, as a later configuration source would.
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return configuration.GetSection(SpeechOptions.SectionName).Get<SpeechOptions>() ?? new SpeechOptions();
    }

    private static readonly (string, string)[] GoodVoice =
    [
        ("Speech:Voices:nova:Provider", "openai"),
        ("Speech:Voices:nova:BaseUrl", "http://127.0.0.1:8880/v1"),
        ("Speech:Voices:nova:Model", "kokoro"),
        ("Speech:Voices:nova:Voice", "af_heart"),
    ];

    [Fact]
    public void A_good_server_voice_binds_and_validates()
    {
        var options = Bind([.. GoodVoice, ("Speech:Voices:nova:SampleRate", "22050"), ("Speech:DefaultVoices:en", "nova")]);

        Assert.Empty(options.Validate());
        var nova = options.Voices["nova"];
        Assert.Equal("kokoro", nova.Model);
        Assert.Equal(22050, nova.SampleRate);
        Assert.Equal("nova", options.DefaultVoices["en"]);
        Assert.Equal("cmn", options.DefaultVoices["zh"]);
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Speech:Voices:nova:Provider", "elevenlabs", "Speech:Voices:nova:Provider 'elevenlabs' is not a known speech provider" },
        { "Speech:Voices:nova:BaseUrl", "", "Speech:Voices:nova:BaseUrl is required" },
        { "Speech:Voices:nova:BaseUrl", "ftp://box/v1", "Speech:Voices:nova:BaseUrl 'ftp://box/v1' is not an absolute http or https address" },
        { "Speech:Voices:nova:Language", "fr", "Speech:Voices:nova:Language 'fr'" },
        { "Speech:Voices:nova:SampleRate", "96000", "Speech:Voices:nova:SampleRate" },
        { "Speech:Voices:nova:OnFailure", "Retry", "Speech:Voices:nova:OnFailure 'Retry'" },
        { "Speech:Voices:nova:FallbackVoice", "cmn", "Speech:Voices:nova:FallbackVoice 'cmn' is not a local voice of language 'en'" },
        { "Speech:Voices:nova:ApiKeyVariable", "LIVEHOST_TEST_UNSET_KEY_VARIABLE", "Speech:Voices:nova:ApiKeyVariable" },
        { "Speech:DefaultVoices:en", "cmn", "Speech:DefaultVoices:en 'cmn' is not a voice of language 'en'" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_is_refused_naming_it(string key, string value, string expected)
    {
        var options = Bind([.. GoodVoice, (key, value)]);

        var error = Assert.Single(options.Validate());
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_voice_named_like_a_built_in_voice_is_refused_as_a_name_used_twice()
    {
        var options = Bind(("Speech:Voices:flite-slt:Provider", "openai"), ("Speech:Voices:flite-slt:BaseUrl", "http://127.0.0.1:8880/v1"));

        var error = Assert.Single(options.Validate());
        Assert.StartsWith("Speech:Voices:flite-slt: the voice name 'flite-slt' is used twice", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_voices_refuse_to_start_on_a_bad_configuration_and_say_why()
    {
        var options = Bind(("Speech:Voices:nova:Provider", "openai"));

        var error = Assert.Throws<ArgumentException>(() =>
            new SpeechVoices(options, new NoVoices(), new NoVoices(), TimeProvider.System, NullLoggerFactory.Instance));
        Assert.Contains("Speech:Voices:nova:BaseUrl is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_comes_from_the_named_environment_variable_when_the_setting_is_empty()
    {
        const string variable = "LIVEHOST_TEST_SPEECH_KEY";
        Environment.SetEnvironmentVariable(variable, "from-env");
        try
        {
            var options = Bind([.. GoodVoice, ("Speech:Voices:nova:ApiKeyVariable", variable)]);
            Assert.Empty(options.Validate());
            Assert.Equal("from-env", options.Voices["nova"].ResolveApiKey());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    private sealed class NoVoices : ISpeechSynthesizer
    {
        public IReadOnlyList<VoiceInfo> Voices => [];

        public bool TryResolveVoice(string language, string? voiceId, out VoiceInfo voice)
        {
            voice = null!;
            return false;
        }

        public SpeechStream Start(SpeechRequest request) => throw new NotSupportedException();
    }
}
