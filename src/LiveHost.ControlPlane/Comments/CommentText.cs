using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane.Comments;

/// <summary>
/// A comment's text and nickname follow the rules of line text (<see cref="LineText"/>): control characters and lone
/// surrogates refused, invisible formatting removed, trimmed, length in user-perceived characters (grapheme clusters).
/// </summary>
public static class CommentText
{
    public static string CheckText(string? raw, int maxLength) =>
        Check(raw, "comment", maxLength, required: true)!;

    public static string? CheckNickname(string? raw, int maxLength)
    {
        var nickname = Check(raw, "nickname", maxLength, required: false);
        return nickname is { Length: > 0 } ? nickname : null;
    }

    private static string? Check(string? raw, string field, int maxLength, bool required)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return required ? throw Invalid(RejectionCode.TextEmpty, $"the {field} is empty: write something") : null;
        }
        // A 10 KB comment is refused by its length before it is scanned character by character.
        if (raw.Length > maxLength * 16)
        {
            throw Invalid(RejectionCode.TextTooLong, $"the {field} is far longer than {maxLength} characters (the limit): shorten it");
        }
        switch (LineText.Clean(raw, out var text, out var position, out var codePoint))
        {
            case LineText.Problem.ControlCharacter:
                throw Invalid(RejectionCode.InvalidInput, $"the {field} contains the control character U+{codePoint:X4} at character {position}: remove it");
            case LineText.Problem.LoneSurrogate:
                throw Invalid(RejectionCode.InvalidInput, $"the {field} is not valid Unicode: a lone surrogate U+{codePoint:X4} at character {position}");
        }
        if (LineText.IsBlank(text))
        {
            return required ? throw Invalid(RejectionCode.TextEmpty, $"the {field} is empty once invisible characters are removed: write something") : null;
        }
        var length = LineText.VisibleLength(text);
        if (length > maxLength)
        {
            throw Invalid(RejectionCode.TextTooLong,
                $"the {field} is {length} characters long; the limit is {maxLength} (characters as users see them: grapheme clusters)");
        }
        return text;
    }

    private static CommandRejectedException Invalid(RejectionCode code, string message) => new(code, message);
}
