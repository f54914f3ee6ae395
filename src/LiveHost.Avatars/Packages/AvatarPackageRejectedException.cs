namespace LiveHost.Avatars.Packages;

/// <summary>Why a package was refused at load.</summary>
public enum PackageRejection
{
    MissingManifest,
    InvalidManifest,
    FrameCountMismatch,
    InvalidFrame,
    ModelMissing,
    ModelHashMismatch,
    ConsentMissing,
    ConsentIncomplete,
    ConsentNotSigned,
    ConsentUnknownKey,
    ConsentBadSignature,
    ConsentNotYetValid,
    ConsentExpired,
    ConsentWrongScope,
    ConsentRevoked,
    ConsentRevocationListUnavailable,
}

/// <summary>A package that may not be used, with the reason in words and as a <see cref="PackageRejection"/>.</summary>
public sealed class AvatarPackageRejectedException : Exception
{
    public AvatarPackageRejectedException(string packagePath, PackageRejection reason, string detail, Exception? inner = null)
        : base($"Avatar package {packagePath} refused ({reason}): {detail}", inner)
    {
        PackagePath = packagePath;
        Reason = reason;
        Detail = detail;
    }

    public string PackagePath { get; }

    public PackageRejection Reason { get; }

    public string Detail { get; }

    /// <summary>The rejection a failed consent check becomes.</summary>
    public static PackageRejection FromConsent(ConsentStatus status) => status switch
    {
        ConsentStatus.Missing => PackageRejection.ConsentMissing,
        ConsentStatus.Incomplete => PackageRejection.ConsentIncomplete,
        ConsentStatus.NotSigned => PackageRejection.ConsentNotSigned,
        ConsentStatus.UnknownKey => PackageRejection.ConsentUnknownKey,
        ConsentStatus.BadSignature => PackageRejection.ConsentBadSignature,
        ConsentStatus.NotYetValid => PackageRejection.ConsentNotYetValid,
        ConsentStatus.Expired => PackageRejection.ConsentExpired,
        ConsentStatus.WrongScope => PackageRejection.ConsentWrongScope,
        ConsentStatus.Revoked => PackageRejection.ConsentRevoked,
        ConsentStatus.RevocationListUnavailable => PackageRejection.ConsentRevocationListUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A valid consent is not a rejection."),
    };
}
