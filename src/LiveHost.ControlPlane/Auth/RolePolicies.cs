using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace LiveHost.ControlPlane;

/// <summary>One authorization policy per minimum role, named "role:viewer" ... "role:admin".</summary>
public static class RolePolicies
{
    public const string Viewer = "role:viewer";
    public const string Seller = "role:seller";
    public const string Producer = "role:producer";
    public const string Admin = "role:admin";

    public static string For(Role minimum) => minimum switch
    {
        Role.Viewer => Viewer,
        Role.Seller => Seller,
        Role.Producer => Producer,
        Role.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "not a LiveHost role"),
    };

    public static void AddRolePolicies(this AuthorizationOptions options)
    {
        foreach (var role in Enum.GetValues<Role>())
        {
            options.AddPolicy(For(role), policy => policy
                .AddAuthenticationSchemes(ApiKeyDefaults.Scheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new MinimumRoleRequirement(role)));
        }
    }

    /// <summary>Endpoint needs a key with at least <paramref name="minimum"/>: no key 401, lower role 403.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, Role minimum)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(For(minimum));
}
