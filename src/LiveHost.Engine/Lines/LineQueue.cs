namespace LiveHost.Engine.Lines;

/// <summary>
/// The lines waiting in one room, in speaking order. Shared by the control plane (adds, clears) and the room's
/// engine loop (takes the next); a lock keeps "position" and "next" consistent, and nothing slow runs under it.
/// </summary>
public sealed class LineQueue
{
    private readonly LinkedList<Line> _lines = new();
    private readonly Lock _gate = new();

    public int Count
    {
        get { lock (_gate) return _lines.Count; }
    }

    /// <summary>Runs <paramref name="persist"/> and adds the line at the back, atomically; returns its position (0 = next).</summary>
    public int AddLast(Line line, Action persist)
    {
        lock (_gate)
        {
            persist();
            _lines.AddLast(line);
            return _lines.Count - 1;
        }
    }

    /// <summary>Runs <paramref name="persist"/> and puts the line first, atomically.</summary>
    public void AddFirst(Line line, Action persist)
    {
        lock (_gate)
        {
            persist();
            _lines.AddFirst(line);
        }
    }

    public bool TryTakeNext(out Line line)
    {
        lock (_gate)
        {
            if (_lines.First is { } first)
            {
                _lines.RemoveFirst();
                line = first.Value;
                return true;
            }
            line = null!;
            return false;
        }
    }

    /// <summary>Removes every waiting line and returns them, oldest first.</summary>
    public IReadOnlyList<Line> TakeAll()
    {
        lock (_gate)
        {
            var all = _lines.ToArray();
            _lines.Clear();
            return all;
        }
    }

    public IReadOnlyList<Line> Snapshot()
    {
        lock (_gate) return _lines.ToArray();
    }
}
