using LiveHost.Engine.Show;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;

namespace LiveHost.ControlPlane;

/// <summary>
/// Tells every hub connection when the script or product library changed (<c>ScriptsChanged()</c>,
/// <c>ProductsChanged()</c>, no arguments: clients list again). Sends go through each connection's outbox and never
/// wait for a client. Does nothing when the server has no <see cref="ShowLibrary"/>.
/// </summary>
public sealed class ShowEventRelay(IHubContext<ControlHub> hub, ShowLibrary? show = null) : IHostedService
{
    public const string ScriptsChangedEvent = "ScriptsChanged";
    public const string ProductsChangedEvent = "ProductsChanged";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (show is not null)
        {
            show.ScriptsChanged += OnScriptsChanged;
            show.Products.Changed += OnProductsChanged;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (show is not null)
        {
            show.ScriptsChanged -= OnScriptsChanged;
            show.Products.Changed -= OnProductsChanged;
        }
        return Task.CompletedTask;
    }

    private void OnScriptsChanged() => _ = hub.Clients.All.SendAsync(ScriptsChangedEvent);

    private void OnProductsChanged() => _ = hub.Clients.All.SendAsync(ProductsChangedEvent);
}
