namespace LiveHost.Media;

/// <summary>
/// The rows of a video frame that may differ from the frame composed just before it; every other row is the same,
/// byte for byte. The drawing stage says which rows it touched, so the encoder converts only those to I420 and keeps
/// the rest of its previous picture (issue 14). Rows are tracked in pairs, since a 4:2:0 chroma row covers two pixel
/// rows: marking one row marks its pair. A set is built by one thread and read by another after it is handed over.
/// </summary>
public sealed class ChangedRows
{
    private readonly ulong[] _pairs;

    /// <summary>An empty set for a frame <paramref name="height"/> rows high (even).</summary>
    public ChangedRows(int height)
    {
        if (height <= 0 || (height & 1) != 0) throw new ArgumentOutOfRangeException(nameof(height), height, "a frame's height must be positive and even");
        Height = height;
        _pairs = new ulong[(height / 2 + 63) / 64];
    }

    public int Height { get; }

    /// <summary>Row pairs marked (each stands for two pixel rows).</summary>
    public int PairCount
    {
        get
        {
            var count = 0;
            foreach (var word in _pairs) count += System.Numerics.BitOperations.PopCount(word);
            return count;
        }
    }

    /// <summary>Marks rows [<paramref name="top"/>, <paramref name="bottom"/>), clipped to the frame; fractions widen to whole rows.</summary>
    public void Add(double top, double bottom)
    {
        var first = Math.Max(0, (int)Math.Floor(top)) / 2;
        var last = Math.Min(Height, (int)Math.Ceiling(bottom));
        for (var pair = first; pair * 2 < last; pair++) _pairs[pair >> 6] |= 1UL << (pair & 63);
    }

    /// <summary>Unmarks every row (a set reused frame after frame by the one who builds it).</summary>
    public void Clear() => Array.Clear(_pairs);

    /// <summary>Marks every row of <paramref name="other"/> (a set for the same height).</summary>
    public void UnionWith(ChangedRows other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Height != Height) throw new ArgumentException($"a set for {other.Height} rows cannot join one for {Height}", nameof(other));
        for (var i = 0; i < _pairs.Length; i++) _pairs[i] |= other._pairs[i];
    }

    public bool ContainsPair(int pair) => (_pairs[pair >> 6] & (1UL << (pair & 63))) != 0;

    /// <summary>The marked rows as runs [Start, End) of whole pixel rows, top to bottom (always even bounds).</summary>
    public IEnumerable<(int Start, int End)> Runs()
    {
        var pairs = Height / 2;
        var pair = 0;
        while (pair < pairs)
        {
            if (!ContainsPair(pair)) { pair++; continue; }
            var start = pair;
            while (pair < pairs && ContainsPair(pair)) pair++;
            yield return (start * 2, pair * 2);
        }
    }
}
