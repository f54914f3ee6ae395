using LiveHost.Avatars.Packages;

namespace LiveHost.Host.Avatars;

/// <summary>Registers the avatar factory, the consent verifier and watcher, the inference provider metric and the late lip-sync frames metric.</summary>
public static class AvatarServiceCollectionExtensions
{
    /// <remarks>Needs an <see cref="LiveHost.Inference.Onnx.OnnxModelHost"/> singleton; register the watcher after the rooms.</remarks>
    public static IServiceCollection AddLiveHostAvatars(this IServiceCollection services, AvatarHostOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(_ => new ConsentVerifier(options.ToConsentOptions()));
        services.AddSingleton<AvatarFactory>();
        services.AddSingleton<IAvatarFactory>(sp => sp.GetRequiredService<AvatarFactory>());
        services.AddSingleton<AvatarConsentWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<AvatarConsentWatcher>());
        services.AddHostedService<InferenceProviderMetric>();
        services.AddHostedService<LipSyncLateFramesMetric>();
        return services;
    }
}
