using LiveHost.TestSupport;
using Xunit;

namespace LiveHost.Rtmp.Tests;

/// <summary>Encodes the synthetic clip once for all integration tests.</summary>
public sealed class SyntheticStreamFixture : IAsyncLifetime
{
    private SyntheticStream? _stream;

    public SyntheticStream Stream => _stream ?? throw new InvalidOperationException("fixture not initialised");

    public async Task InitializeAsync() => _stream = await SyntheticStream.CreateAsync(4);

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class NginxCollection : ICollectionFixture<SyntheticStreamFixture>
{
    public const string Name = "nginx-rtmp";
}
