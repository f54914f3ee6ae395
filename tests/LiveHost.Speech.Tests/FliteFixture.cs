using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.Speech.Tests;

/// <summary>One Flite synthesizer (four voice threads) for the Flite tests, which run one after another.</summary>
public sealed class FliteFixture : IDisposable
{
    public FliteSynthesizer Synthesizer { get; } = new(NullLogger<FliteSynthesizer>.Instance);

    public void Dispose() => Synthesizer.Dispose();
}

[CollectionDefinition(Name)]
public sealed class FliteCollection : ICollectionFixture<FliteFixture>
{
    public const string Name = "flite";
}
