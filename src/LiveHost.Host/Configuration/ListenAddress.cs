namespace LiveHost.Host.Configuration;

/// <summary>
/// The address the server listens on when nothing says otherwise: <c>http://127.0.0.1:8080</c> (CONTRACT.md), not
/// ASP.NET Core's own <c>http://localhost:5000</c>. Any of ASP.NET Core's ways of choosing one wins: <c>ASPNETCORE_URLS</c>
/// or <c>--urls</c>, <c>ASPNETCORE_HTTP_PORTS</c> / <c>ASPNETCORE_HTTPS_PORTS</c>, or <c>Kestrel:Endpoints</c>.
/// </summary>
public static class ListenAddress
{
    public const string Default = "http://127.0.0.1:8080";

    /// <summary>True when configuration names no address, so <see cref="Default"/> should be used.</summary>
    public static bool NoneConfigured(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration["urls"])
        && string.IsNullOrWhiteSpace(configuration["http_ports"])
        && string.IsNullOrWhiteSpace(configuration["https_ports"])
        && !configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
}
