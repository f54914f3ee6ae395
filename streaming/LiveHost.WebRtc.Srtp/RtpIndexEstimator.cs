namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// Packet index estimation of RFC 3711 §3.3.1 (Appendix A): from the highest index seen so far (ROC, s_l) and a
/// 16-bit sequence number, guess the rollover counter v of that packet.
/// <code>
///   if s_l &lt; 2^15:  v = (SEQ - s_l &gt; 2^15) ? ROC - 1 : ROC
///   else:            v = (s_l - 2^15 &gt; SEQ) ? ROC + 1 : ROC
///   index = v * 2^16 + SEQ
/// </code>
/// The sender runs the same estimate, so its ROC goes up by one exactly when the sequence number wraps.
/// </summary>
internal static class RtpIndexEstimator
{
    private const int HalfRange = 1 << 15;
    private const ulong MaxIndex = (1UL << 48) - 1;

    /// <summary>False when the packet would sit before index 0 (ROC would be -1) or past the 48-bit index.</summary>
    public static bool TryEstimate(in SrtpStreamState state, ushort sequenceNumber, out ulong index)
    {
        if (!state.Started)
        {
            index = sequenceNumber;
            return true;
        }

        long roc = (long)(state.HighestIndex >> 16);
        int lastSequence = (int)(state.HighestIndex & 0xFFFF);
        long guess;
        if (lastSequence < HalfRange)
        {
            guess = sequenceNumber - lastSequence > HalfRange ? roc - 1 : roc;
        }
        else
        {
            guess = lastSequence - HalfRange > sequenceNumber ? roc + 1 : roc;
        }

        index = 0;
        if (guess < 0)
        {
            return false;
        }

        ulong estimate = ((ulong)guess << 16) | sequenceNumber;
        if (estimate > MaxIndex)
        {
            return false;
        }

        index = estimate;
        return true;
    }
}
