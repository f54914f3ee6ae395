using LiveHost.Engine.Lines;

namespace LiveHost.ControlPlane.Llm;

/// <summary>The last lines each room started speaking (fed by the hub's event sink), for the answer prompt.</summary>
public sealed class SpokenLines
{
    public const int Keep = 20;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<string>> _rooms = new(StringComparer.Ordinal);

    public void Record(Line line)
    {
        if (string.IsNullOrEmpty(line.Text)) return;
        lock (_gate)
        {
            if (!_rooms.TryGetValue(line.Room, out var lines)) _rooms[line.Room] = lines = new Queue<string>();
            lines.Enqueue(line.Text);
            while (lines.Count > Keep) lines.Dequeue();
        }
    }

    /// <summary>The room's last <paramref name="count"/> lines, oldest first.</summary>
    public IReadOnlyList<string> Last(string room, int count)
    {
        lock (_gate)
        {
            return _rooms.TryGetValue(room, out var lines) ? [.. lines.Skip(Math.Max(0, lines.Count - count))] : [];
        }
    }
}
