namespace LiveHost.Engine.Moderation;

/// <summary>
/// The blocked terms of one language, and the allowed phrases that contain a blocked term but are lawful
/// (<c>第一次</c> "the first time" contains <c>第一</c> "number one"). Data, edited by admins.
/// </summary>
public sealed record TermList(string Language, IReadOnlyList<string> Blocked, IReadOnlyList<string> Allowed);

/// <summary>Where a blocked term was found: the term, its list, the field (<c>text</c> or <c>caption</c>) and the 1-based character (grapheme) position.</summary>
public sealed record TermHit(string Term, string Language, string Field, int Position)
{
    public string Describe() => $"'{Term}' ({Language} list) at character {Position} of the {Field}";
}
