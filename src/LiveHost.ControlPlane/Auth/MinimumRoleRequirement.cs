using Microsoft.AspNetCore.Authorization;

namespace LiveHost.ControlPlane;

/// <summary>Met when the caller's key has at least <see cref="Minimum"/>.</summary>
public sealed class MinimumRoleRequirement(Role minimum) : AuthorizationHandler<MinimumRoleRequirement>, IAuthorizationRequirement
{
    public Role Minimum { get; } = minimum;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MinimumRoleRequirement requirement)
    {
        if (CallerRole.TryGet(context.User, out var role) && role >= requirement.Minimum)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
