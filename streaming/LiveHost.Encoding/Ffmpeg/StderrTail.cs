namespace LiveHost.Encoding.Ffmpeg;

/// <summary>The last few stderr lines of one ffmpeg process, kept so that a crash can be logged with its cause.</summary>
public sealed class StderrTail
{
    private readonly Queue<string> _lines;
    private readonly int _capacity;

    public StderrTail(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _lines = new Queue<string>(capacity);
    }

    public void Add(string line)
    {
        lock (_lines)
        {
            if (_lines.Count == _capacity) _lines.Dequeue();
            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_lines) return _lines.ToArray();
    }

    public override string ToString() => string.Join(Environment.NewLine, Snapshot());
}
