namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// Per-SSRC state of one crypto context: the highest packet index seen or sent and a 64-packet replay window
/// (RFC 3711 §3.3.2). For SRTP the index is ROC * 2^16 + SEQ (48 bits); for SRTCP it is the 31-bit SRTCP index.
/// </summary>
internal struct SrtpStreamState
{
    public const int ReplayWindowSize = 64;

    public uint Ssrc;
    public bool Started;
    public ulong HighestIndex;

    /// <summary>Bit i set: the packet with index HighestIndex - i has been accepted.</summary>
    public ulong ReplayBits;

    public readonly bool IsReplayed(ulong index)
    {
        if (!Started || index > HighestIndex)
        {
            return false;
        }

        ulong age = HighestIndex - index;
        return age >= ReplayWindowSize || ((ReplayBits >> (int)age) & 1) != 0;
    }

    public void Accept(ulong index)
    {
        if (!Started)
        {
            Started = true;
            HighestIndex = index;
            ReplayBits = 1;
            return;
        }

        if (index > HighestIndex)
        {
            ulong shift = index - HighestIndex;
            ReplayBits = shift >= ReplayWindowSize ? 1 : (ReplayBits << (int)shift) | 1;
            HighestIndex = index;
        }
        else
        {
            ulong age = HighestIndex - index;
            if (age < ReplayWindowSize)
            {
                ReplayBits |= 1UL << (int)age;
            }
        }
    }
}
