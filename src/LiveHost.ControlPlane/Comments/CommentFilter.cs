using System.Text.RegularExpressions;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane.Comments;

/// <summary>
/// What a comment may not carry: links (a scheme, <c>www.</c>, or a host name ending in a common top-level domain),
/// phone numbers (7 or more digits, with spaces, dots, dashes or brackets between them, or a leading +), and the
/// configured blocked words (whole words; phrases for CJK, as in <see cref="TermMatcher"/>). Refused with
/// <see cref="RejectionCode.CommentFiltered"/> saying which rule.
/// </summary>
public sealed partial class CommentFilter(IReadOnlyList<string> blockedWords)
{
    private readonly TermList[] _words = [new TermList("comments", blockedWords, [])];

    public void Check(string text, string field)
    {
        if (LinkPattern().IsMatch(text))
            throw new CommandRejectedException(RejectionCode.CommentFiltered, $"the {field} contains a link; links are not allowed in comments");
        if (PhonePattern().IsMatch(ToAsciiDigits(text)))
            throw new CommandRejectedException(RejectionCode.CommentFiltered, $"the {field} contains a phone number; phone numbers are not allowed in comments");
        if (TermMatcher.FindFirst(text, field, _words) is { } hit)
            throw new CommandRejectedException(RejectionCode.CommentFiltered, $"the {field} contains the blocked word '{hit.Term}' at character {hit.Position}");
    }

    // Full-width and other Unicode decimal digits count as digits (０１３８…).
    private static string ToAsciiDigits(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsDigit(chars[i]) && chars[i] > '9') chars[i] = (char)('0' + (int)char.GetNumericValue(chars[i]));
        }
        return new string(chars);
    }

    [GeneratedRegex(@"(?:[a-z][a-z0-9+.-]*://|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|cn|io|co|me|info|biz|ru|xyz|top|shop|site|link|ly|gl|tk|cc|tv|app|dev|uk|de|jp)\b)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"(?:\+\s*)?\d(?:[\s\-.()]{0,2}\d){6,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex PhonePattern();
}
