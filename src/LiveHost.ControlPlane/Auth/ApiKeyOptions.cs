namespace LiveHost.ControlPlane;

/// <summary>
/// Keys from configuration: <c>Auth:Keys:N:Key</c>, <c>Auth:Keys:N:Role</c>, <c>Auth:Keys:N:Name</c>.
/// With no key configured, <see cref="ApiKeyStore"/> creates an admin key under the data directory.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "Auth";

    public IList<ApiKeyEntry> Keys { get; } = [];
}

/// <summary>One configured key. Role is text (viewer, seller, producer, admin) so a typo gets a clear start-up error.</summary>
public sealed class ApiKeyEntry
{
    public string? Key { get; set; }

    public string? Role { get; set; }

    /// <summary>Who holds the key; shown in logs and as the caller's name. Defaults to "key N".</summary>
    public string? Name { get; set; }
}
