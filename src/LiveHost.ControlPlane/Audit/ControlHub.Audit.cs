using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.Mvc;

namespace LiveHost.ControlPlane;

public sealed partial class ControlHub
{
    /// <summary>Addition to CONTRACT.md (admin): a page of the audit log (100 entries after <paramref name="after"/>), optionally of one room.</summary>
    public AuditPage GetAudit([FromServices] IServiceProvider services, string? room = null, long? after = null)
    {
        CallerRole.Demand(Context.User, Role.Admin);
        var audit = services.GetService(typeof(IAuditLog)) as IAuditLog
            ?? throw CommandErrorMapping.ToHubException(new CommandRejectedException(RejectionCode.Unavailable, "this server keeps no audit log (it has no storage)"));
        if (after < 0)
        {
            throw CommandErrorMapping.ToHubException(new CommandRejectedException(RejectionCode.InvalidInput, $"after must be 0 or more; got {after}"));
        }
        return audit.Read(AuditEndpoints.Room(room), after ?? 0, AuditEndpoints.DefaultLimit);
    }
}
