namespace LiveHost.Avatars.Packages;

/// <summary>The outcome of checking a consent record; everything but <see cref="Valid"/> refuses the likeness.</summary>
public enum ConsentStatus
{
    Valid,
    Missing,
    Incomplete,
    NotSigned,
    UnknownKey,
    BadSignature,
    NotYetValid,
    Expired,
    WrongScope,
    Revoked,
    RevocationListUnavailable,
}
