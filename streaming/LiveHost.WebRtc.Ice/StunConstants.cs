namespace LiveHost.WebRtc.Ice;

/// <summary>
/// STUN message types (method + class packed as in RFC 8489 §5) that an ICE-lite agent meets.
/// Only Binding exists in ICE, so the other methods (TURN's) are not named here.
/// </summary>
public static class StunMessageType
{
    /// <summary>A connectivity check (or consent check, RFC 7675) from the browser.</summary>
    public const ushort BindingRequest = 0x0001;

    /// <summary>A keepalive; never answered (RFC 8445 §11).</summary>
    public const ushort BindingIndication = 0x0011;

    /// <summary>Our answer to a valid check.</summary>
    public const ushort BindingSuccessResponse = 0x0101;

    /// <summary>Our answer to a check we reject (400, 401, 487).</summary>
    public const ushort BindingErrorResponse = 0x0111;
}

/// <summary>STUN attribute types used by ICE (RFC 8489 §18.3, RFC 8445 §16.1).</summary>
public static class StunAttributeType
{
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort XorMappedAddress = 0x0020;
    public const ushort Priority = 0x0024;
    public const ushort UseCandidate = 0x0025;
    public const ushort Software = 0x8022;
    public const ushort Fingerprint = 0x8028;
    public const ushort IceControlled = 0x8029;
    public const ushort IceControlling = 0x802A;
}
