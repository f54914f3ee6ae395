using LiveHost.Avatars.Products;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Show;
using LiveHost.Speech;

namespace LiveHost.Host.Rooms;

/// <summary>
/// Registers scripts and products: over their stores (registered by <see cref="StorageStartup"/> for the provider), the
/// product catalog rooms read on their tick, the writer of rooms' loop positions, and the <see cref="ShowLibrary"/>
/// the hub and REST call. Rooms get their <see cref="RoomShow"/> from the library when they are made.
/// </summary>
public static class ShowStartup
{
    public static IServiceCollection AddLiveHostShow(this IServiceCollection services, EngineOptions engineOptions)
    {
        // The engine knows product images only by their rules; the SkiaSharp decoder and re-encoder is chosen here.
        services.AddSingleton<IProductImageNormalizer, SkiaProductImageNormalizer>();
        services.AddSingleton(sp => new ProductCatalog(sp.GetRequiredService<IProductStore>(), sp.GetRequiredService<IProductImageNormalizer>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RoomScriptWriter(sp.GetRequiredService<IRoomScriptStore>(), sp.GetRequiredService<ILogger<RoomScriptWriter>>()));
        services.AddSingleton(sp =>
        {
            var catalog = sp.GetRequiredService<ProductCatalog>();
            var lines = new LineRequestValidator(sp.GetRequiredService<ISpeechSynthesizer>(), engineOptions, catalog);
            return new ShowLibrary(sp.GetRequiredService<IScriptStore>(), catalog, new ScriptValidator(lines),
                sp.GetRequiredService<RoomScriptWriter>(), sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
