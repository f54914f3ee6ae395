namespace LiveHost.Engine.Moderation;

/// <summary>
/// The rooms' policy: each room's mode (<c>Rooms:{room}:Moderation:Mode</c>, default <see cref="ModerationMode.Block"/>)
/// and the shared term lists, read from the store at start and replaced as a whole when an admin edits them, so a check
/// never sees half an edit.
/// </summary>
public sealed class ModerationPolicy : ILinePolicy
{
    /// <summary>Longest term or allowed phrase, in UTF-16 units; more terms than <see cref="MaxTerms"/> per language are refused.</summary>
    public const int MaxTermLength = 64;
    public const int MaxTerms = 2000;

    private readonly IModerationTermStore store;
    private readonly IReadOnlyDictionary<string, ModerationMode> modes;
    private readonly Lock _gate = new();
    private volatile IReadOnlyList<TermList> _lists;

    public ModerationPolicy(IModerationTermStore store, IReadOnlyDictionary<string, ModerationMode> modes)
    {
        this.store = store;
        this.modes = modes;
        _lists = store.Load();
    }

    public IReadOnlyList<TermList> Lists => _lists;

    public ModerationMode ModeOf(string room) => modes.TryGetValue(room, out var mode) ? mode : ModerationMode.Block;

    public LineVerdict Check(string room, string text, string? caption)
    {
        var mode = ModeOf(room);
        if (mode == ModerationMode.Off) return LineVerdict.Pass;
        var lists = _lists;
        var hit = TermMatcher.FindFirst(text, "text", lists);
        if (hit is null && !string.IsNullOrEmpty(caption)) hit = TermMatcher.FindFirst(caption, "caption", lists);
        return hit is null ? LineVerdict.Pass : new LineVerdict(hit, mode);
    }

    /// <summary>Checks and stores one language's lists; a bad list throws <see cref="ArgumentException"/> saying what is wrong, and changes nothing.</summary>
    public TermList Replace(string language, IReadOnlyList<string>? blocked, IReadOnlyList<string>? allowed)
    {
        var lang = (language ?? string.Empty).Trim().ToLowerInvariant();
        if (lang.Length is 0 or > 16 || !lang.All(c => char.IsAsciiLetterLower(c) || c == '-'))
        {
            throw new ArgumentException($"language '{language}' is not a language tag such as en or zh");
        }
        var list = new TermList(lang, Clean(blocked, "blocked"), Clean(allowed, "allowed"));
        lock (_gate)
        {
            store.Save(list);
            _lists = [.. _lists.Where(l => l.Language != lang), list];
        }
        return list;
    }

    private static string[] Clean(IReadOnlyList<string>? terms, string name)
    {
        if (terms is null) return [];
        if (terms.Count > MaxTerms) throw new ArgumentException($"{name} has {terms.Count} terms; the limit is {MaxTerms}");
        var cleaned = new List<string>(terms.Count);
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i]?.Trim() ?? string.Empty;
            if (term.Length == 0) throw new ArgumentException($"{name}[{i}] is empty");
            if (term.Length > MaxTermLength) throw new ArgumentException($"{name}[{i}] is {term.Length} characters long; the limit is {MaxTermLength}");
            if (term.Any(char.IsControl)) throw new ArgumentException($"{name}[{i}] contains a control character");
            if (!cleaned.Contains(term, StringComparer.OrdinalIgnoreCase)) cleaned.Add(term);
        }
        return [.. cleaned];
    }
}
