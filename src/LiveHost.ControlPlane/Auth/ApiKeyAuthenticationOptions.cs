using Microsoft.AspNetCore.Authentication;

namespace LiveHost.ControlPlane;

public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions;
