using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane.Comments.Faq;

/// <summary>
/// Every room's FAQ entries: kept in memory for matching (one <see cref="FaqMatcher"/> per room, rebuilt on each
/// change) and written through to the <see cref="IFaqStore"/>. Saving checks the entry and says what is wrong.
/// </summary>
public sealed class FaqBook
{
    public const int MaxEntriesPerRoom = 500;
    public const int MaxQuestions = 50;
    public const int MaxQuestionLength = 200;
    public const int MaxAnswerLength = 1000;

    private readonly IFaqStore store;
    private readonly TimeProvider time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<FaqEntry>> _byRoom = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FaqMatcher> _matchers = new(StringComparer.Ordinal);

    public FaqBook(IFaqStore store, TimeProvider time)
    {
        this.store = store;
        this.time = time;
        foreach (var group in store.LoadAll().GroupBy(e => e.Room!, StringComparer.Ordinal))
        {
            _byRoom[group.Key] = [.. group];
            _matchers[group.Key] = new FaqMatcher(_byRoom[group.Key]);
        }
    }

    public IReadOnlyList<FaqEntry> List(string room)
    {
        lock (_gate) return _byRoom.TryGetValue(room, out var list) ? [.. list] : [];
    }

    public FaqEntry? Find(string room, string id)
    {
        lock (_gate) return _byRoom.TryGetValue(room, out var list) ? list.Find(e => e.Id == id) : null;
    }

    public (FaqEntry Entry, double Score)? Match(string room, string text)
    {
        FaqMatcher? matcher;
        lock (_gate) _matchers.TryGetValue(room, out matcher);
        return matcher?.Best(text);
    }

    /// <summary>The room's <paramref name="count"/> entries closest to <paramref name="text"/>, best first.</summary>
    public IReadOnlyList<(FaqEntry Entry, double Score)> Closest(string room, string text, int count)
    {
        FaqMatcher? matcher;
        lock (_gate) _matchers.TryGetValue(room, out matcher);
        return matcher?.Top(text, count) ?? [];
    }

    /// <summary>Creates (no id) or replaces an entry of <paramref name="room"/>; refuses a bad one with <see cref="RejectionCode.InvalidInput"/>.</summary>
    public FaqEntry Save(string room, FaqEntry? entry)
    {
        var clean = Check(room, entry ?? throw Invalid("an FAQ entry is required: { questions: [...], answer, language, product? }"));
        lock (_gate)
        {
            var list = _byRoom.TryGetValue(room, out var existing) ? existing : [];
            var index = list.FindIndex(e => e.Id == clean.Id);
            if (index < 0 && entry.Id is not null)
                throw new CommandRejectedException(RejectionCode.NotFound, $"room '{room}' has no FAQ entry '{Short(entry.Id)}'; leave id out to create one");
            if (index < 0 && list.Count >= MaxEntriesPerRoom)
                throw Invalid($"room '{room}' already has {MaxEntriesPerRoom} FAQ entries (the limit); delete some first");
            store.Save(clean);
            if (index < 0) list.Add(clean); else list[index] = clean;
            _byRoom[room] = list;
            _matchers[room] = new FaqMatcher(list);
        }
        return clean;
    }

    public void Delete(string room, string id)
    {
        lock (_gate)
        {
            if (!_byRoom.TryGetValue(room, out var list) || list.RemoveAll(e => e.Id == id) == 0)
                throw new CommandRejectedException(RejectionCode.NotFound, $"room '{room}' has no FAQ entry '{Short(id)}'");
            store.Delete(room, id);
            _matchers[room] = new FaqMatcher(list);
        }
    }

    private FaqEntry Check(string room, FaqEntry entry)
    {
        if (entry.Questions is not { Count: > 0 } questions) throw Invalid("questions is empty: give at least one way viewers ask it");
        if (questions.Count > MaxQuestions) throw Invalid($"questions has {questions.Count} variants; the limit is {MaxQuestions}");
        var cleaned = new List<string>(questions.Count);
        for (var i = 0; i < questions.Count; i++) cleaned.Add(Text(questions[i], $"questions[{i}]", MaxQuestionLength));
        var answer = Text(entry.Answer, "answer", MaxAnswerLength);
        var language = string.IsNullOrWhiteSpace(entry.Language) ? null : entry.Language.Trim().ToLowerInvariant();
        if (language is null || !LineRequestValidator.Languages.Contains(language))
            throw new CommandRejectedException(RejectionCode.UnknownLanguage, $"language '{entry.Language}' is not one of {string.Join(", ", LineRequestValidator.Languages)}");
        var product = string.IsNullOrWhiteSpace(entry.Product) ? null : entry.Product.Trim();
        if (product is { Length: > 100 }) throw Invalid($"product is {product.Length} characters long; the limit is 100");
        var id = entry.Id is null ? Guid.CreateVersion7(time.GetUtcNow()).ToString("N") : entry.Id.Trim();
        if (id.Length is 0 or > 64) throw Invalid("id must be 1 to 64 characters (or left out to create an entry)");
        return new FaqEntry(id, room, cleaned, answer, language, product, time.GetUtcNow());
    }

    private static string Text(string? raw, string field, int max)
    {
        if (string.IsNullOrWhiteSpace(raw)) throw new CommandRejectedException(RejectionCode.TextEmpty, $"{field} is empty");
        if (raw.Length > max * 16) throw new CommandRejectedException(RejectionCode.TextTooLong, $"{field} is far longer than {max} characters (the limit)");
        switch (LineText.Clean(raw, out var text, out var position, out var codePoint))
        {
            case LineText.Problem.ControlCharacter:
                throw Invalid($"{field} contains the control character U+{codePoint:X4} at character {position}: remove it");
            case LineText.Problem.LoneSurrogate:
                throw Invalid($"{field} is not valid Unicode: a lone surrogate U+{codePoint:X4} at character {position}");
        }
        if (LineText.IsBlank(text)) throw new CommandRejectedException(RejectionCode.TextEmpty, $"{field} is empty once invisible characters are removed");
        var length = LineText.VisibleLength(text);
        if (length > max) throw new CommandRejectedException(RejectionCode.TextTooLong, $"{field} is {length} characters long; the limit is {max}");
        return text;
    }

    private static string Short(string id) => id.Length <= 64 ? id : id[..64] + "...";

    private static CommandRejectedException Invalid(string message) => new(RejectionCode.InvalidInput, message);
}
