namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// One SRTP/SRTCP crypto context: one direction of one viewer's DTLS-SRTP session (RFC 3711 §3.2, RFC 5764).
/// The egress side calls <c>Protect*</c> on its sending context; the ingress side (RTCP feedback from the
/// browser) calls <c>Unprotect*</c> on its receiving context.
/// <para>
/// Packets are transformed in place: the caller hands a buffer holding the packet in <c>[0, length)</c> with room
/// for <see cref="RtpOverhead"/> (or <see cref="RtcpOverhead"/>) more octets, and gets the new length back. After
/// warm-up no call allocates. A failed unprotect leaves the buffer's contents unspecified: drop the packet.
/// </para>
/// <para>
/// Index bookkeeping per SSRC: the sender estimates the index of each RTP packet from its own highest index
/// (RFC 3711 §3.3.1), so the ROC goes up when the sequence number wraps; the receiver does the same and commits
/// the index only after the tag verifies, with a 64-packet replay window (§3.3.2). SRTCP indices start at 1 for
/// each SSRC and go up by one per packet (as libsrtp and pion send them); every SRTCP packet sent is encrypted.
/// </para>
/// Not thread-safe: each context belongs to one send loop or one receive loop.
/// </summary>
public sealed class SrtpContext : IDisposable
{
    private const uint MaxSrtcpIndex = 0x7FFF_FFFFu;

    private readonly SrtpTransform _transform;
    private readonly SrtpStreamTable _rtpStreams;
    private readonly SrtpStreamTable _rtcpStreams;
    private readonly bool _replayProtection;

    /// <summary>Derives the session keys (RFC 3711 §4.3) from the DTLS-SRTP master key and salt of one direction.</summary>
    public SrtpContext(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpContextOptions? options = null)
        : this(SrtpKeyDerivation.DeriveSessionKeys(profile, masterKey, masterSalt), options)
    {
    }

    /// <summary>Uses session keys as given (test vectors, or keys derived elsewhere).</summary>
    public SrtpContext(SrtpSessionKeys sessionKeys, SrtpContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sessionKeys);
        options ??= new SrtpContextOptions();
        options.Validate();
        Profile = sessionKeys.Profile;
        _transform = Profile == SrtpProfile.AeadAes128Gcm
            ? new AeadAesGcmTransform(sessionKeys)
            : new AesCmHmacSha1Transform(sessionKeys);
        _rtpStreams = new SrtpStreamTable(options.MaxStreams);
        _rtcpStreams = new SrtpStreamTable(options.MaxStreams);
        _replayProtection = options.ReplayProtection;
    }

    public SrtpProfile Profile { get; }

    /// <summary>Octets <see cref="ProtectRtp"/> appends (the tag).</summary>
    public int RtpOverhead => _transform.TagLength;

    /// <summary>Octets <see cref="ProtectRtcp"/> appends (E/index word and tag).</summary>
    public int RtcpOverhead => _transform.TagLength + 4;

    /// <summary>
    /// Encrypts and authenticates the RTP packet in <c>buffer[..length]</c> in place; returns the SRTP length.
    /// Throws <see cref="ArgumentException"/> for what <see cref="TryProtectRtp"/> refuses.
    /// </summary>
    public int ProtectRtp(Span<byte> buffer, int length) =>
        TryProtectRtp(buffer, length, out int protectedLength)
            ? protectedLength
            : throw new ArgumentException(
                "Not a protectable RTP packet: bad header, no room for the tag, or a sequence number from before this context's first packet.",
                nameof(buffer));

    /// <summary>
    /// Encrypts and authenticates in place. False (buffer untouched) when the RTP header is malformed, the
    /// buffer has no room for the tag, the stream table is full, or the packet's index cannot be placed.
    /// </summary>
    public bool TryProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length
            || buffer.Length - length < _transform.TagLength
            || !RtpHeaderInfo.TryRead(buffer[..length], out uint ssrc, out ushort sequenceNumber, out int headerLength)
            || length - headerLength > AesCounterMode.MaxDataLength)
        {
            return false;
        }

        int slot = _rtpStreams.Find(ssrc);
        if (slot < 0)
        {
            if (!_rtpStreams.HasRoom)
            {
                return false;
            }

            slot = _rtpStreams.Add(ssrc);
        }

        ref SrtpStreamState stream = ref _rtpStreams[slot];
        if (!RtpIndexEstimator.TryEstimate(stream, sequenceNumber, out ulong index))
        {
            return false;
        }

        protectedLength = _transform.ProtectRtp(buffer, headerLength, length, ssrc, index);
        stream.Accept(index);
        return true;
    }

    /// <summary>Verifies and decrypts the SRTP packet in <c>buffer[..length]</c> in place.</summary>
    public bool TryUnprotectRtp(Span<byte> buffer, int length, out int plainLength) =>
        UnprotectRtp(buffer, length, out plainLength) == SrtpUnprotectResult.Success;

    /// <summary>As <see cref="TryUnprotectRtp"/>, saying why a packet was refused.</summary>
    public SrtpUnprotectResult UnprotectRtp(Span<byte> buffer, int length, out int plainLength)
    {
        plainLength = 0;
        if ((uint)length > (uint)buffer.Length
            || length < RtpHeaderInfo.FixedHeaderLength + _transform.TagLength
            || !RtpHeaderInfo.TryRead(buffer[..(length - _transform.TagLength)], out uint ssrc, out ushort sequenceNumber, out int headerLength)
            || length - _transform.TagLength - headerLength > AesCounterMode.MaxDataLength)
        {
            return SrtpUnprotectResult.Malformed;
        }

        int slot = _rtpStreams.Find(ssrc);
        if (slot < 0 && !_rtpStreams.HasRoom)
        {
            return SrtpUnprotectResult.TooManyStreams;
        }

        // A new SSRC is estimated against a fresh state and only enters the table once its tag verifies,
        // so forged packets cannot fill the table.
        SrtpStreamState fresh = new() { Ssrc = ssrc };
        ref SrtpStreamState stream = ref slot >= 0 ? ref _rtpStreams[slot] : ref fresh;
        if (!RtpIndexEstimator.TryEstimate(stream, sequenceNumber, out ulong index))
        {
            return SrtpUnprotectResult.Replayed;
        }

        if (_replayProtection && stream.IsReplayed(index))
        {
            return SrtpUnprotectResult.Replayed;
        }

        if (!_transform.TryUnprotectRtp(buffer, headerLength, length, ssrc, index))
        {
            return SrtpUnprotectResult.AuthenticationFailed;
        }

        if (slot < 0)
        {
            slot = _rtpStreams.Add(ssrc);
        }

        _rtpStreams[slot].Accept(index);
        plainLength = length - _transform.TagLength;
        return SrtpUnprotectResult.Success;
    }

    /// <summary>
    /// Encrypts and authenticates the compound RTCP packet in <c>buffer[..length]</c> in place under the next
    /// SRTCP index of its sender SSRC; returns the SRTCP length.
    /// </summary>
    public int ProtectRtcp(Span<byte> buffer, int length) =>
        TryProtectRtcp(buffer, length, out int protectedLength)
            ? protectedLength
            : throw new ArgumentException(
                "Not a protectable RTCP packet: bad header, no room for the SRTCP trailer, or the SRTCP index is exhausted.",
                nameof(buffer));

    /// <summary>Encrypts and authenticates in place; false (buffer untouched) when it cannot.</summary>
    public bool TryProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length
            || buffer.Length - length < RtcpOverhead
            || length - RtcpHeaderInfo.HeaderLength > AesCounterMode.MaxDataLength
            || !RtcpHeaderInfo.TryRead(buffer[..length], out uint ssrc))
        {
            return false;
        }

        int slot = _rtcpStreams.Find(ssrc);
        if (slot < 0)
        {
            if (!_rtcpStreams.HasRoom)
            {
                return false;
            }

            slot = _rtcpStreams.Add(ssrc);
        }

        ref SrtpStreamState stream = ref _rtcpStreams[slot];

        // RFC 3711 §3.4: the index must not wrap under one master key; a re-key is due long before 2^31 packets.
        ulong next = stream.Started ? stream.HighestIndex + 1 : 1;
        if (next > MaxSrtcpIndex)
        {
            return false;
        }

        protectedLength = _transform.ProtectRtcp(buffer, length, ssrc, (uint)next);
        stream.Accept(next);
        return true;
    }

    /// <summary>Verifies and (when its E flag is set) decrypts the SRTCP packet in <c>buffer[..length]</c> in place.</summary>
    public bool TryUnprotectRtcp(Span<byte> buffer, int length, out int plainLength) =>
        UnprotectRtcp(buffer, length, out plainLength) == SrtpUnprotectResult.Success;

    /// <summary>As <see cref="TryUnprotectRtcp"/>, saying why a packet was refused.</summary>
    public SrtpUnprotectResult UnprotectRtcp(Span<byte> buffer, int length, out int plainLength)
    {
        plainLength = 0;
        if ((uint)length > (uint)buffer.Length
            || length < _transform.MinimumSrtcpLength
            || length > AesCounterMode.MaxDataLength
            || !RtcpHeaderInfo.TryRead(buffer[..length], out uint ssrc))
        {
            return SrtpUnprotectResult.Malformed;
        }

        uint indexWord = _transform.ReadSrtcpIndexWord(buffer[..length]);
        ulong index = indexWord & MaxSrtcpIndex;
        int slot = _rtcpStreams.Find(ssrc);
        if (slot < 0 && !_rtcpStreams.HasRoom)
        {
            return SrtpUnprotectResult.TooManyStreams;
        }

        if (_replayProtection && slot >= 0 && _rtcpStreams[slot].IsReplayed(index))
        {
            return SrtpUnprotectResult.Replayed;
        }

        if (!_transform.TryUnprotectRtcp(buffer, length, ssrc, indexWord))
        {
            return SrtpUnprotectResult.AuthenticationFailed;
        }

        if (slot < 0)
        {
            slot = _rtcpStreams.Add(ssrc);
        }

        _rtcpStreams[slot].Accept(index);
        plainLength = length - RtcpOverhead;
        return SrtpUnprotectResult.Success;
    }

    /// <summary>Makes the next SRTCP packet from <paramref name="ssrc"/> carry <paramref name="nextIndex"/> (RFC 7714 §17 vectors).</summary>
    internal void SetNextSrtcpIndex(uint ssrc, uint nextIndex)
    {
        int slot = _rtcpStreams.Find(ssrc);
        if (slot < 0)
        {
            slot = _rtcpStreams.Add(ssrc);
        }

        ref SrtpStreamState stream = ref _rtcpStreams[slot];
        stream.Started = nextIndex > 0;
        stream.HighestIndex = nextIndex - 1u;
    }

    public void Dispose() => _transform.Dispose();
}
