namespace LiveHost.WebRtc.Ice;

/// <summary>
/// TURN message types (RFC 8656 §17; method and class packed as in RFC 8489 §5): requests 0x000M, success responses
/// 0x010M, error responses 0x011M, indications 0x001M.
/// </summary>
public static class TurnMessageType
{
    public const ushort AllocateRequest = 0x0003;
    public const ushort AllocateSuccess = 0x0103;
    public const ushort AllocateError = 0x0113;
    public const ushort RefreshRequest = 0x0004;
    public const ushort RefreshSuccess = 0x0104;
    public const ushort CreatePermissionRequest = 0x0008;
    public const ushort CreatePermissionSuccess = 0x0108;
    public const ushort SendIndication = 0x0016;
    public const ushort DataIndication = 0x0017;

    /// <summary>The class bits of a message type (RFC 8489 §5): 0x0000 request, 0x0010 indication, 0x0100 success, 0x0110 error.</summary>
    public static int Class(ushort messageType) => messageType & 0x0110;

    /// <summary>The method bits of a message type (Binding 1, Allocate 3, Refresh 4, CreatePermission 8, ...).</summary>
    public static int Method(ushort messageType) => messageType & ~0x0110 & 0x3FFF;
}

/// <summary>TURN attribute types (RFC 8656 §18) and the long-term credential ones (RFC 8489 §14.9, §14.10).</summary>
public static class TurnAttributeType
{
    public const ushort Lifetime = 0x000D;
    public const ushort XorPeerAddress = 0x0012;
    public const ushort Data = 0x0013;
    public const ushort Realm = 0x0014;
    public const ushort Nonce = 0x0015;
    public const ushort XorRelayedAddress = 0x0016;
    public const ushort RequestedTransport = 0x0019;
}

/// <summary>STUN error codes a TURN client acts on (RFC 8489 §14.8, RFC 8656 §19).</summary>
public static class TurnErrorCode
{
    /// <summary>Credentials needed (the first 401 carries REALM and NONCE) or refused (a 401 to a signed request).</summary>
    public const int Unauthorized = 401;

    /// <summary>The credentials are fine but this user may not allocate.</summary>
    public const int Forbidden = 403;

    /// <summary>The server has reached its allocation quota for this user.</summary>
    public const int AllocationQuotaReached = 486;

    /// <summary>The NONCE expired: retry with the one this response carries.</summary>
    public const int StaleNonce = 438;

    /// <summary>The server cannot relay now (out of ports).</summary>
    public const int InsufficientCapacity = 508;
}
