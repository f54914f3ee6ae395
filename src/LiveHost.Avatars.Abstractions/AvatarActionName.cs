namespace LiveHost.Avatars;

/// <summary>
/// The one rule for an action's name (<see cref="IAvatarActions"/>, a package's <c>actions[].name</c>, the builder's
/// <c>--action</c>, a line's <c>action</c>): 1 to 32 characters, lower-case ASCII letters, digits and <c>-</c>,
/// starting with a letter (<c>wave</c>, <c>point</c>, <c>show-product</c>).
/// </summary>
public static class AvatarActionName
{
    public const int MaxLength = 32;

    public const string Rule = "1 to 32 characters: lower-case letters a-z, digits and '-', starting with a letter";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || !char.IsAsciiLetterLower(name[0])) return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')) return false;
        }
        return true;
    }
}
