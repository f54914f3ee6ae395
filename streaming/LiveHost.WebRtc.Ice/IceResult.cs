namespace LiveHost.WebRtc.Ice;

/// <summary>
/// What <see cref="IceLiteAgent.Handle"/> did with one datagram: a closed set so the caller can count and log per
/// outcome without exceptions on the packet path. Only the outcomes marked "answered" write a response.
/// </summary>
public enum IceResult
{
    /// <summary>Not a STUN Binding request we answer (garbage, indication, response, bad FINGERPRINT): dropped silently.</summary>
    Ignored = 0,

    /// <summary>The USERNAME is not "ourUfrag:theirUfrag": meant for another session or a stale one; dropped silently.</summary>
    UnknownUsername,

    /// <summary>Answered 400: USERNAME or MESSAGE-INTEGRITY missing.</summary>
    BadRequest,

    /// <summary>Answered 401: MESSAGE-INTEGRITY does not verify with our password.</summary>
    Unauthorized,

    /// <summary>Answered 487: the peer claims the controlled role too, which an ICE-lite agent can never give up.</summary>
    RoleConflict,

    /// <summary>Answered with success: a valid check without USE-CANDIDATE.</summary>
    Validated,

    /// <summary>Answered with success: a valid check with USE-CANDIDATE; its source is now <see cref="IceLiteAgent.SelectedRemote"/>.</summary>
    Nominated,
}
