namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// A fixed-capacity table of per-SSRC state, allocated once with the context. A viewer carries a handful of
/// SSRCs (audio, video, maybe RTX), so a linear scan with a last-hit cache beats hashing and never allocates.
/// </summary>
internal sealed class SrtpStreamTable
{
    private readonly SrtpStreamState[] _states;
    private int _count;
    private int _lastHit;

    public SrtpStreamTable(int capacity) => _states = new SrtpStreamState[capacity];

    public bool HasRoom => _count < _states.Length;

    /// <summary>Slot of <paramref name="ssrc"/>, or -1.</summary>
    public int Find(uint ssrc)
    {
        if (_count > 0 && _states[_lastHit].Ssrc == ssrc)
        {
            return _lastHit;
        }

        for (int i = 0; i < _count; i++)
        {
            if (_states[i].Ssrc == ssrc)
            {
                _lastHit = i;
                return i;
            }
        }

        return -1;
    }

    /// <summary>Adds a fresh slot; the caller checked <see cref="HasRoom"/>.</summary>
    public int Add(uint ssrc)
    {
        int slot = _count++;
        _states[slot] = new SrtpStreamState { Ssrc = ssrc };
        _lastHit = slot;
        return slot;
    }

    public ref SrtpStreamState this[int slot] => ref _states[slot];
}
