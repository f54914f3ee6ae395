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
    /// <summary>The manifest does not say which recording the frames came from (built before packages recorded it).</summary>
    RecordingMissing,
    /// <summary>The package was made from a recording other than the one its consent covers.</summary>
    RecordingMismatch,
    /// <summary>The frame files are not the ones made from the recording (swapped or edited after the build).</summary>
    FramesNotFromRecording,
    /// <summary>Another package with the same id but a different consent is already loaded.</summary>
    DuplicateId,
    /// <summary>A mouth-atlas sample is missing, not a PNG, or not the atlas cell size.</summary>
    InvalidAtlasSample,
    /// <summary>The atlas samples are not the ones cut from the recording (swapped or edited after the build).</summary>
    AtlasNotFromRecording,
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
