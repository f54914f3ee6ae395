namespace LiveHost.ControlPlane.Comments;

/// <summary>
/// When a room may answer by itself: each entry at most once per <see cref="CommentOptions.AutoAnswerEntryPeriod"/>,
/// and at most <see cref="CommentOptions.AutoAnswersPerMinute"/> answers in any 60 s. Called under the comment lock.
/// </summary>
public sealed class AutoAnswerGate(CommentOptions options)
{
    private readonly Dictionary<(string Room, string Entry), DateTimeOffset> _lastByEntry = [];
    private readonly Dictionary<string, Queue<DateTimeOffset>> _recent = new(StringComparer.Ordinal);

    public bool TryTake(string room, string entryId, DateTimeOffset now)
    {
        if (_lastByEntry.TryGetValue((room, entryId), out var last) && now - last < options.AutoAnswerEntryPeriod) return false;
        if (!_recent.TryGetValue(room, out var recent)) _recent[room] = recent = new Queue<DateTimeOffset>();
        while (recent.Count > 0 && now - recent.Peek() >= TimeSpan.FromMinutes(1)) recent.Dequeue();
        if (recent.Count >= options.AutoAnswersPerMinute) return false;
        recent.Enqueue(now);
        _lastByEntry[(room, entryId)] = now;
        return true;
    }
}
