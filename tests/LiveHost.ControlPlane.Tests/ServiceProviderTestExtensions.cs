using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane.Tests;

internal static class ServiceProviderTestExtensions
{
    public static T GetRequiredServiceOf<T>(this IServiceProvider services) where T : notnull => services.GetRequiredService<T>();
}
