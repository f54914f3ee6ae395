namespace LiveHost.Engine.Moderation;

/// <summary>
/// One room's lines waiting for review, oldest first. Taking a line out is atomic, so two producers approving the same
/// line at once approve it once; a taken line that could not be queued is put back where it was.
/// </summary>
public sealed class ReviewList
{
    /// <summary>Most lines one room may hold for review; past it, new lines that need review are refused (503).</summary>
    public const int Capacity = 500;

    private readonly Lock _gate = new();
    private readonly List<HeldLine> _held = [];

    public int Count
    {
        get { lock (_gate) return _held.Count; }
    }

    public IReadOnlyList<HeldLine> List()
    {
        lock (_gate) return [.. _held];
    }

    public bool TryAdd(HeldLine held)
    {
        lock (_gate)
        {
            if (_held.Count >= Capacity) return false;
            _held.Add(held);
            return true;
        }
    }

    public HeldLine? Take(string lineId)
    {
        lock (_gate)
        {
            var index = _held.FindIndex(h => h.Line.Id == lineId);
            if (index < 0) return null;
            var held = _held[index];
            _held.RemoveAt(index);
            return held;
        }
    }

    public void PutBack(HeldLine held)
    {
        lock (_gate)
        {
            var index = _held.FindIndex(h => h.HeldAt > held.HeldAt);
            _held.Insert(index < 0 ? _held.Count : index, held);
        }
    }
}
