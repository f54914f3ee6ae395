namespace LiveHost.Engine.Lines;

/// <summary>
/// The lines waiting in one room, in speaking order, and the lines scheduled for later (<see cref="Line.At"/>), soonest
/// first. Shared by the control plane (adds, inserts, moves, removes, clears) and the room's engine loop (takes the
/// next); a lock keeps "position" and "next" consistent, and nothing slow runs under it. <see cref="Changed"/> is raised
/// under the lock after every change of the queue's order or membership, so observers see the changes in the order
/// they happened (its handlers must only hand the ids on, never block).
/// </summary>
public sealed class LineQueue
{
    private readonly LinkedList<Line> _lines = new();
    private readonly List<Line> _scheduled = [];
    private readonly Lock _gate = new();

    /// <summary>The ids of the waiting lines, in order, after a change (raised under the queue's lock).</summary>
    public event Action<IReadOnlyList<string>>? Changed;

    public int Count
    {
        get { lock (_gate) return _lines.Count; }
    }

    /// <summary>Lines waiting plus lines scheduled: what counts against a room's queue limit.</summary>
    public int CountWithScheduled
    {
        get { lock (_gate) return _lines.Count + _scheduled.Count; }
    }

    /// <summary>Runs <paramref name="persist"/> and adds the line at the back, atomically; returns its position (0 = next).</summary>
    public int AddLast(Line line, Action persist) => AddLast(line, persist, static _ => { });

    /// <summary>
    /// The same, then runs <paramref name="added"/> with the line's position, still atomically: what it starts for the
    /// line is there before anyone who reads the queue (the engine's tick) can see the line.
    /// </summary>
    public int AddLast(Line line, Action persist, Action<int> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        lock (_gate)
        {
            persist();
            _lines.AddLast(line);
            var position = _lines.Count - 1;
            added(position);
            RaiseChanged();
            return position;
        }
    }

    /// <summary>Runs <paramref name="persist"/> and puts the line first, atomically.</summary>
    public void AddFirst(Line line, Action persist) => AddFirst(line, persist, static () => { });

    /// <summary>The same, then runs <paramref name="added"/>, still atomically (see <see cref="AddLast(Line, Action, Action{int})"/>).</summary>
    public void AddFirst(Line line, Action persist, Action added)
    {
        ArgumentNullException.ThrowIfNull(added);
        lock (_gate)
        {
            persist();
            _lines.AddFirst(line);
            added();
            RaiseChanged();
        }
    }

    /// <summary>
    /// Runs <paramref name="persist"/> and puts the line just before the line <paramref name="beforeId"/>, or last when
    /// that is null; when <paramref name="beforeId"/> has left the queue meanwhile (the room took it, or it was removed),
    /// first. Returns the line's position (0 = next).
    /// </summary>
    public int InsertBefore(Line line, string? beforeId, Action persist)
    {
        lock (_gate)
        {
            persist();
            int position;
            if (beforeId is null)
            {
                _lines.AddLast(line);
                position = _lines.Count - 1;
            }
            else if (Find(beforeId, out var index) is { } anchor)
            {
                _lines.AddBefore(anchor, line);
                position = index;
            }
            else
            {
                _lines.AddFirst(line);
                position = 0;
            }
            RaiseChanged();
            return position;
        }
    }

    /// <summary>
    /// Moves the waiting line <paramref name="id"/> just before the line <paramref name="beforeId"/>, or last when that
    /// is null; first when <paramref name="beforeId"/> has left the queue meanwhile (the room took it and every line
    /// ahead of it). False, and nothing changed, when <paramref name="id"/> is not waiting.
    /// </summary>
    public bool MoveBefore(string id, string? beforeId)
    {
        lock (_gate)
        {
            if (Find(id, out _) is not { } node) return false;
            _lines.Remove(node);
            if (beforeId is null) _lines.AddLast(node);
            else if (Find(beforeId, out _) is { } anchor) _lines.AddBefore(anchor, node);
            else _lines.AddFirst(node);
            RaiseChanged();
            return true;
        }
    }

    /// <summary>Takes the waiting or scheduled line <paramref name="id"/> out; false when it is neither.</summary>
    public bool TryRemove(string id, out Line line)
    {
        lock (_gate)
        {
            if (Find(id, out _) is { } node)
            {
                _lines.Remove(node);
                line = node.Value;
                RaiseChanged();
                return true;
            }
            var scheduled = _scheduled.FindIndex(l => l.Id == id);
            if (scheduled >= 0)
            {
                line = _scheduled[scheduled];
                _scheduled.RemoveAt(scheduled);
                return true;
            }
            line = null!;
            return false;
        }
    }

    /// <summary>The waiting line <paramref name="id"/>'s position, -1 when it is not waiting (0 = next).</summary>
    public int PositionOf(string id)
    {
        lock (_gate) return Find(id, out var index) is null ? -1 : index;
    }

    /// <summary>The scheduled line <paramref name="id"/>, or null.</summary>
    public Line? FindScheduled(string id)
    {
        lock (_gate) return _scheduled.Find(l => l.Id == id);
    }

    public bool TryTakeNext(out Line line)
    {
        lock (_gate)
        {
            if (_lines.First is { } first)
            {
                _lines.RemoveFirst();
                line = first.Value;
                RaiseChanged();
                return true;
            }
            line = null!;
            return false;
        }
    }

    /// <summary>Removes every waiting line and returns them, oldest first. Scheduled lines stay.</summary>
    public IReadOnlyList<Line> TakeAll()
    {
        lock (_gate)
        {
            var all = _lines.ToArray();
            _lines.Clear();
            if (all.Length > 0) RaiseChanged();
            return all;
        }
    }

    public IReadOnlyList<Line> Snapshot()
    {
        lock (_gate) return _lines.ToArray();
    }

    /// <summary>Runs <paramref name="persist"/> and adds a line to the schedule (kept soonest first), atomically.</summary>
    public void Schedule(Line line, Action persist)
    {
        if (line.At is null) throw new ArgumentException("only a line with At can be scheduled", nameof(line));
        lock (_gate)
        {
            persist();
            var index = _scheduled.FindIndex(l => l.At > line.At);
            _scheduled.Insert(index < 0 ? _scheduled.Count : index, line);
        }
    }

    /// <summary>The scheduled lines, soonest first.</summary>
    public IReadOnlyList<Line> ScheduledSnapshot()
    {
        lock (_gate) return _scheduled.ToArray();
    }

    /// <summary>When the soonest scheduled line is due, or null when none is scheduled.</summary>
    public DateTimeOffset? NextDue
    {
        get { lock (_gate) return _scheduled.Count == 0 ? null : _scheduled[0].At; }
    }

    /// <summary>
    /// Moves every scheduled line due at <paramref name="now"/> to the front of the queue, soonest first (ahead of every
    /// waiting line), atomically; <paramref name="persist"/> runs for each under the lock before the engine can take it.
    /// Returns them in that order.
    /// </summary>
    public IReadOnlyList<Line> PromoteDue(DateTimeOffset now, Action<Line, int> persist)
    {
        lock (_gate)
        {
            var due = _scheduled.TakeWhile(l => l.At <= now).ToArray();
            if (due.Length == 0) return due;
            _scheduled.RemoveRange(0, due.Length);
            for (var i = due.Length - 1; i >= 0; i--)
            {
                persist(due[i], i);
                _lines.AddFirst(due[i]);
            }
            RaiseChanged();
            return due;
        }
    }

    private LinkedListNode<Line>? Find(string id, out int index)
    {
        index = 0;
        for (var node = _lines.First; node is not null; node = node.Next, index++)
        {
            if (node.Value.Id == id) return node;
        }
        index = -1;
        return null;
    }

    private void RaiseChanged()
    {
        if (Changed is { } changed) changed(_lines.Select(l => l.Id).ToArray());
    }
}
