using LiveHost.Speech;

namespace LiveHost.Speech.Tests;

public sealed class VoiceCatalogTests
{
    private readonly VoiceCatalog _catalog = VoiceCatalog.CreateDefault();

    [Theory]
    [InlineData("en", null, "en-us", "en-us")]
    [InlineData("en", "", "en-us", "en-us")]
    [InlineData("en", "en-gb", "en-gb", "en")]
    [InlineData("en", "en-us-f", "en-us-f", "en-us+f3")]
    [InlineData("EN", "EN-GB", "en-gb", "en")]
    [InlineData("zh", null, "cmn", "cmn-latn-pinyin")]
    [InlineData("zh", "cmn-f", "cmn-f", "cmn-latn-pinyin+f3")]
    public void KnownVoice_Resolves(string language, string? voiceId, string expectedId, string expectedEngineVoice)
    {
        Assert.True(_catalog.TryResolve(language, voiceId, out var voice));
        Assert.Equal(expectedId, voice.Id);
        Assert.Equal(expectedEngineVoice, voice.EngineVoice);
    }

    [Theory]
    [InlineData("fr", null)]
    [InlineData("", null)]
    [InlineData(null, "en-us")]
    [InlineData("en", "cmn")]
    [InlineData("zh", "en-gb")]
    [InlineData("en", "nobody")]
    public void UnknownLanguageOrVoiceOfAnotherLanguage_DoesNotResolve(string? language, string? voiceId) =>
        Assert.False(_catalog.TryResolve(language, voiceId, out _));

    [Fact]
    public void EachLanguage_HasOneDefault()
    {
        Assert.Equal(["en", "zh"], _catalog.Languages.Order());
        Assert.All(_catalog.Languages, l => Assert.Single(_catalog.Voices, v => v.Language == l && v.IsDefault));
    }

    [Fact]
    public void CatalogWithTwoDefaultsOrDuplicateIds_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new VoiceCatalog([new VoiceInfo("a", "en", "en-us", true), new VoiceInfo("b", "en", "en-gb", true)]));
        Assert.Throws<ArgumentException>(() => new VoiceCatalog([new VoiceInfo("a", "en", "en-us", true), new VoiceInfo("a", "zh", "cmn", true)]));
    }
}
