namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// The cryptographic transform of one profile: it encrypts and authenticates a packet whose index the context has
/// already settled. Index bookkeeping (ROC, SRTCP index, replay) stays in <see cref="SrtpContext"/>.
/// </summary>
internal abstract class SrtpTransform : IDisposable
{
    public abstract int TagLength { get; }

    /// <summary>Smallest SRTCP packet this transform can read: header, E/index word, tag.</summary>
    public int MinimumSrtcpLength => RtcpHeaderInfo.HeaderLength + 4 + TagLength;

    /// <summary>Protects buffer[..length] in place; writes the tag after it; returns the new length.</summary>
    public abstract int ProtectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, ulong index);

    /// <summary>Verifies and decrypts buffer[..length] (tag included) in place; plaintext is buffer[..length - TagLength].</summary>
    public abstract bool TryUnprotectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, ulong index);

    /// <summary>Encrypts buffer[..length] (E = 1) and appends the E/index word and tag; returns the new length.</summary>
    public abstract int ProtectRtcp(Span<byte> buffer, int length, uint ssrc, uint srtcpIndex);

    /// <summary>Reads the E-flag/SRTCP-index word from where this profile keeps it.</summary>
    public abstract uint ReadSrtcpIndexWord(ReadOnlySpan<byte> packet);

    /// <summary>Verifies (and when E is set decrypts) buffer[..length]; plaintext is buffer[..(length - 4 - TagLength)].</summary>
    public abstract bool TryUnprotectRtcp(Span<byte> buffer, int length, uint ssrc, uint indexWord);

    public abstract void Dispose();
}
