using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LiveHost.Speech.Tests;

/// <summary>One synthesizer for the espeak tests, which run one after another so their timings are not shared.</summary>
public sealed class EspeakFixture : IDisposable
{
    public EspeakFixture() => Synthesizer = Create(new SpeechOptions());

    public EspeakSynthesizer Synthesizer { get; }

    public static EspeakSynthesizer Create(SpeechOptions options) =>
        new(Options.Create(options), NullLogger<EspeakSynthesizer>.Instance);

    public void Dispose() => Synthesizer.Dispose();
}

[CollectionDefinition(Name)]
public sealed class EspeakCollection : ICollectionFixture<EspeakFixture>
{
    public const string Name = "espeak";
}
