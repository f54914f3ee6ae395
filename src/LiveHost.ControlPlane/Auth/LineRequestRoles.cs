using System.Security.Claims;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane;

/// <summary>
/// The fields of a line request that need more than the seller role a plain line needs: <c>interruptible: false</c>
/// (the line holds the air against CueNow) and <c>at</c> (the line jumps to the front of the queue at its moment) are
/// the producer's, and so is <c>action</c> (the presenter plays an action, as PlayAction does). Checked by the hub and
/// REST before the room sees the request.
/// </summary>
public static class LineRequestRoles
{
    /// <summary>Throws a <see cref="RejectionCode.Forbidden"/> refusal naming the field and the role when the caller may not set it.</summary>
    public static void Demand(ClaimsPrincipal? user, LineRequest? request)
    {
        var field = request switch
        {
            { Interruptible: false } => "interruptible: false",
            { At: not null } => "at (a scheduled line)",
            { Action: not null } => "action (the presenter's action, as PlayAction)",
            _ => null,
        };
        if (field is null) return;
        Role? held = CallerRole.TryGet(user, out var role) ? role : null;
        if (held >= Role.Producer) return;
        throw new CommandRejectedException(RejectionCode.Forbidden, $"{field} needs the producer role; your key has {held?.ToName() ?? "none"}");
    }
}
