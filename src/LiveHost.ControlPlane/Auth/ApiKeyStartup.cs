using Microsoft.Extensions.Hosting;

namespace LiveHost.ControlPlane;

/// <summary>Loads the keys when the host starts: a bad key configuration stops the start, and a new admin key is printed then, not at the first request.</summary>
public sealed class ApiKeyStartup(ApiKeyStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.EnsureLoaded();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
