namespace LiveHost.ControlPlane;

/// <summary>
/// What a key may do. The numeric order is the privilege order (viewer &lt; seller &lt; producer &lt; admin),
/// so "at least producer" is a plain comparison.
/// </summary>
public enum Role
{
    Viewer = 0,
    Seller = 1,
    Producer = 2,
    Admin = 3,
}

/// <summary>The lowercase names roles have in configuration, claims and messages.</summary>
public static class RoleNames
{
    public const string Viewer = "viewer";
    public const string Seller = "seller";
    public const string Producer = "producer";
    public const string Admin = "admin";

    public static string ToName(this Role role) => role switch
    {
        Role.Viewer => Viewer,
        Role.Seller => Seller,
        Role.Producer => Producer,
        Role.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a LiveHost role"),
    };

    /// <summary>Case-insensitive; rejects numbers so "3" in configuration cannot silently mean admin.</summary>
    public static bool TryParse(string? text, out Role role)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case Viewer: role = Role.Viewer; return true;
            case Seller: role = Role.Seller; return true;
            case Producer: role = Role.Producer; return true;
            case Admin: role = Role.Admin; return true;
            default: role = Role.Viewer; return false;
        }
    }
}
