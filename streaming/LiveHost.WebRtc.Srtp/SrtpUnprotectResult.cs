namespace LiveHost.WebRtc.Srtp;

/// <summary>Why an incoming SRTP or SRTCP packet was or was not accepted; a closed set for counters and logs.</summary>
public enum SrtpUnprotectResult
{
    /// <summary>Authenticated, not a replay, decrypted in place.</summary>
    Success,

    /// <summary>Too short, not RTP/RTCP version 2, or a header that runs past the packet.</summary>
    Malformed,

    /// <summary>The tag did not verify (wrong key, tampered packet, or a wrongly estimated ROC).</summary>
    AuthenticationFailed,

    /// <summary>The index was already accepted, or is older than the 64-packet replay window.</summary>
    Replayed,

    /// <summary>A new SSRC arrived while the context's stream table was full.</summary>
    TooManyStreams,
}
