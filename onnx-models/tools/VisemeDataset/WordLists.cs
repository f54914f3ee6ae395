namespace VisemeDataset;

/// <summary>
/// Named lists of words read from a corpus file: <c>[slot]</c> starts a list, every other non-empty line that does
/// not start with <c>#</c> is one item of the current list.
/// </summary>
public sealed class WordLists
{
    private readonly Dictionary<string, List<string>> _lists;

    private WordLists(Dictionary<string, List<string>> lists) => _lists = lists;

    public IReadOnlyDictionary<string, List<string>> Lists => _lists;

    public int WordCount => _lists.Values.Sum(l => l.Count);

    public IReadOnlyList<string> this[string slot] =>
        _lists.TryGetValue(slot, out var list) ? list : throw new KeyNotFoundException($"No word list [{slot}].");

    /// <exception cref="FormatException">An item appears before any [slot] line, or a list is empty.</exception>
    public static WordLists Load(string path)
    {
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = [];
                lists[line[1..^1]] = current;
                continue;
            }
            if (current is null) throw new FormatException($"{path}:{lineNumber}: a word before any [slot] line.");
            current.Add(line);
        }
        var empty = lists.FirstOrDefault(kv => kv.Value.Count == 0);
        if (empty.Key is not null) throw new FormatException($"{path}: list [{empty.Key}] is empty.");
        return new WordLists(lists);
    }
}
