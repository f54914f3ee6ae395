namespace LiveHost.Host.Tests.Avatars;

/// <summary>
/// The avatar host tests run one at a time (each times frames against a bounded model wait) and share one package
/// built from a synthetic video.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AvatarHostCollection : ICollectionFixture<SyntheticAvatarPackage>
{
    public const string Name = "avatar hosts";
}
