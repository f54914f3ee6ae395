using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.ControlPlane.Capacity;

/// <summary><c>GET /api/capacity</c> (admin): rooms running, measured CPU per room by kind, viewers, and how much more fits.</summary>
public static class CapacityEndpoints
{
    public static void MapCapacityEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/capacity", (HttpContext context) =>
            {
                var capacity = context.RequestServices.GetService<IHostCapacity>()
                    ?? throw new CommandRejectedException(RejectionCode.Unavailable, "this server does not measure its capacity");
                return Results.Ok(capacity.Current());
            })
            .RequireRole(Role.Admin)
            .AddEndpointFilter(new CommandRejectionFilter("GetCapacity"));
}
