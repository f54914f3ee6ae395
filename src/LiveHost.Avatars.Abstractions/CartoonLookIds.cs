namespace LiveHost.Avatars;

/// <summary>
/// The avatar ids of the built-in cartoon looks, for code that must recognise them without drawing them (a room's
/// options tell a cartoon from an avatar package path). <c>CartoonLook</c> in LiveHost.Avatars draws each one under
/// exactly these ids.
/// </summary>
public static class CartoonLookIds
{
    public const string Classic = "cartoon";
    public const string Second = "cartoon-b";
    public const string FullBody = "cartoon-fullbody";

    public static IReadOnlyList<string> All { get; } = [Classic, Second, FullBody];

    public static bool IsBuiltIn(string? id) => id is not null && All.Contains(id, StringComparer.Ordinal);
}
