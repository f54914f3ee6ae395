using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane.Comments;

/// <summary>
/// Section <c>Comments</c> (issue 11). Per room, besides: <c>Rooms:{room}:Comments:Public</c> (viewers see every
/// comment, default false: only staff) and <c>Rooms:{room}:AutoAnswer</c> (default false).
/// </summary>
public sealed class CommentOptions
{
    public const string SectionName = "Comments";

    /// <summary>Keyless hub connections may comment (and subscribe to rooms whose comments are public). Default false.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Longest comment, in user-perceived characters (grapheme clusters, as line text is counted).</summary>
    public int MaxTextLength { get; set; } = 200;

    /// <summary>Longest nickname, in user-perceived characters.</summary>
    public int MaxNicknameLength { get; set; } = 24;

    /// <summary>Least time between two accepted comments of one connection.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Accepted comments per client address in any 60 s.</summary>
    public int PerAddressPerMinute { get; set; } = 20;

    /// <summary>Accepted comments per room in any 60 s (all viewers together).</summary>
    public int RoomPerMinute { get; set; } = 600;

    /// <summary>Comments kept per room for consoles that join later (<c>GetComments</c>).</summary>
    public int KeepLast { get; set; } = 200;

    /// <summary>Keyless hub connections open at once from one client address (IPv6 counted per /64).</summary>
    public int MaxAnonymousConnectionsPerAddress { get; set; } = 10;

    /// <summary>Words refused in comments (case-insensitive; whole words, or phrases for CJK), besides links and phone numbers.</summary>
    public List<string> BlockedWords { get; set; } = [];

    /// <summary>Least score (0..1) for an FAQ match to be offered to staff as <c>AnswerSuggested</c>.</summary>
    public double SuggestThreshold { get; set; } = 0.3;

    /// <summary>Least score for a room with <c>AutoAnswer</c> to answer by itself.</summary>
    public double AutoAnswerThreshold { get; set; } = 0.5;

    /// <summary>An entry is auto-answered at most once in this period per room.</summary>
    public TimeSpan AutoAnswerEntryPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Auto-answers per room in any 60 s.</summary>
    public int AutoAnswersPerMinute { get; set; } = 3;
}

public sealed class CommentOptionsValidator : IValidateOptions<CommentOptions>
{
    public ValidateOptionsResult Validate(string? name, CommentOptions options)
    {
        var errors = new List<string>();
        Range(errors, "MaxTextLength", options.MaxTextLength, 1, 5000);
        Range(errors, "MaxNicknameLength", options.MaxNicknameLength, 1, 200);
        Range(errors, "PerAddressPerMinute", options.PerAddressPerMinute, 1, 100_000);
        Range(errors, "RoomPerMinute", options.RoomPerMinute, 1, 1_000_000);
        Range(errors, "KeepLast", options.KeepLast, 0, 100_000);
        Range(errors, "MaxAnonymousConnectionsPerAddress", options.MaxAnonymousConnectionsPerAddress, 1, 100_000);
        Range(errors, "AutoAnswersPerMinute", options.AutoAnswersPerMinute, 0, 600);
        if (options.MinInterval < TimeSpan.Zero || options.MinInterval > TimeSpan.FromHours(1))
            errors.Add($"Comments:MinInterval is {options.MinInterval}; use 00:00:00 to 01:00:00");
        if (options.AutoAnswerEntryPeriod < TimeSpan.Zero || options.AutoAnswerEntryPeriod > TimeSpan.FromDays(1))
            errors.Add($"Comments:AutoAnswerEntryPeriod is {options.AutoAnswerEntryPeriod}; use 00:00:00 to 1.00:00:00");
        if (options.SuggestThreshold is < 0 or > 1) errors.Add($"Comments:SuggestThreshold is {options.SuggestThreshold}; use 0 to 1");
        if (options.AutoAnswerThreshold is < 0 or > 1) errors.Add($"Comments:AutoAnswerThreshold is {options.AutoAnswerThreshold}; use 0 to 1");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string name, int value, int min, int max)
    {
        if (value < min || value > max) errors.Add($"Comments:{name} is {value}; use {min} to {max}");
    }
}
