namespace LiveHost.WebRtc.Dtls.Tests;

/// <summary>Drops or delays chosen datagrams of one direction, by their index in that direction.</summary>
internal sealed class DatagramImpairment
{
    private readonly object _gate = new();
    private int _index;
    private byte[]? _held;
    private bool _droppedMatch;
    private byte[]? _glued;

    /// <summary>Indexes (0-based) of datagrams that are silently lost.</summary>
    public HashSet<int> Drop { get; } = [];

    /// <summary>Index of a datagram held back and delivered right after the next one (a reorder); -1 for none.</summary>
    public int HoldIndex { get; init; } = -1;

    /// <summary>Index of a datagram glued in front of the next one (two records in one datagram); -1 for none.</summary>
    public int CoalesceIndex { get; set; } = -1;

    /// <summary>The first datagram this matches is lost (once).</summary>
    public Func<byte[], bool>? DropFirstMatching { get; init; }

    public int Dropped { get; private set; }

    /// <summary>How many datagrams went through so far.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index;
            }
        }
    }

    public List<byte[]> Apply(byte[] datagram)
    {
        lock (_gate)
        {
            int index = _index++;
            bool dropMatch = DropFirstMatching is not null && !_droppedMatch && DropFirstMatching(datagram);
            _droppedMatch |= dropMatch;
            if (Drop.Contains(index) || dropMatch)
            {
                Dropped++;
                return [];
            }

            if (index == HoldIndex)
            {
                _held = datagram;
                return [];
            }

            if (index == CoalesceIndex)
            {
                _glued = datagram;
                return [];
            }

            if (_glued is not null)
            {
                datagram = [.. _glued, .. datagram];
                _glued = null;
            }

            List<byte[]> deliver = [datagram];
            if (_held is not null)
            {
                deliver.Add(_held);
                _held = null;
            }

            return deliver;
        }
    }
}
