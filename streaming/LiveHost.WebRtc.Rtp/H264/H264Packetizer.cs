using System.Buffers.Binary;
using LiveHost.Media;
using LiveHost.Media.Codecs;

namespace LiveHost.WebRtc.Rtp.H264;

/// <summary>
/// RFC 6184 packetization-mode 1 (non-interleaved) for one H.264 stream: an AVCC access unit in, RTP packets out.
/// <list type="bullet">
/// <item>On a keyframe the SPS and PPS go first, together in one STAP-A (§5.7.1), so a viewer joining at this IDR
/// can decode it whatever it missed before.</item>
/// <item>A NAL unit that fits the packet goes alone as a single NAL unit packet (§5.6).</item>
/// <item>A larger one is cut into FU-A fragments (§5.8), the NRI kept from the NAL header and its type carried in
/// the FU header with the S bit on the first fragment and the E bit on the last.</item>
/// <item>The marker bit is set on the last packet of the access unit (§5.1), every packet carrying its timestamp.</item>
/// </list>
/// Built once per room; writes into the sink's buffers and allocates nothing per packet. Not thread-safe.
/// </summary>
public sealed class H264Packetizer
{
    private const int StapAHeaderSize = 1;
    private const int StapASizeFieldSize = 2;
    private const int FuHeadersSize = 2;
    private const byte ForbiddenBitMask = 0x80;
    private const byte NriMask = 0x60;
    private const byte TypeMask = 0x1F;
    private const byte FuStartBit = 0x80;
    private const byte FuEndBit = 0x40;

    private readonly H264PacketizerOptions _options;
    private byte[] _sps = [];
    private byte[] _pps = [];
    private int _spsLength;
    private int _ppsLength;

    public H264Packetizer(RtpOutboundStream stream, H264PacketizerOptions? options = null)
    {
        Stream = stream;
        _options = options ?? new H264PacketizerOptions();
        _options.Validate();
    }

    public RtpOutboundStream Stream { get; }

    public int MaxPacketSize => _options.MaxPacketSize;

    /// <summary>The largest RTP payload: a NAL unit up to this size travels unfragmented.</summary>
    public int MaxPayloadSize => _options.MaxPacketSize - RtpHeader.FixedSize;

    public bool HasParameterSets => _spsLength > 0 && _ppsLength > 0;

    public void SetParameterSets(H264Config config) => SetParameterSets(config.Sps, config.Pps);

    /// <summary>The SPS and PPS (NAL units without start code or length) to send ahead of each keyframe. Copied.</summary>
    public void SetParameterSets(ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        if (!H264Nal.IsSps(sps)) throw new ArgumentException("not an SPS NAL unit", nameof(sps));
        if (!H264Nal.IsPps(pps)) throw new ArgumentException("not a PPS NAL unit", nameof(pps));
        CopyInto(ref _sps, sps);
        CopyInto(ref _pps, pps);
        _spsLength = sps.Length;
        _ppsLength = pps.Length;
    }

    /// <summary>Packetizes an <see cref="EncodedFrame"/> whose RTP timestamp the caller has already mapped.</summary>
    public bool TryPacketize(EncodedFrame frame, uint rtpTimestamp, IRtpPacketSink sink, out int packetCount) =>
        TryPacketize(frame.Data.Span, rtpTimestamp, frame.IsKeyframe, sink, out packetCount);

    /// <summary>
    /// Writes the packets of one access unit to <paramref name="sink"/>. Returns false, writing nothing, when the
    /// access unit is not well-formed AVCC. An access unit with nothing to send (only SEI, say) writes no packet.
    /// </summary>
    public bool TryPacketize(ReadOnlySpan<byte> accessUnit, uint rtpTimestamp, bool isKeyframe, IRtpPacketSink sink, out int packetCount)
    {
        packetCount = 0;
        var sendParameterSets = isKeyframe && HasParameterSets;

        // First pass: validate, and find the last NAL unit that will be sent, which carries the marker bit.
        var lastSent = -1;
        var index = 0;
        var reader = new AvccNalReader(accessUnit);
        while (reader.MoveNext())
        {
            if (ShouldSend(reader.Current, sendParameterSets)) lastSent = index;
            index++;
        }
        if (reader.IsMalformed) return false;

        if (sendParameterSets)
        {
            packetCount += WriteParameterSets(rtpTimestamp, marker: lastSent < 0, sink);
        }

        index = 0;
        reader = new AvccNalReader(accessUnit);
        while (reader.MoveNext())
        {
            var nal = reader.Current;
            if (ShouldSend(nal, sendParameterSets)) packetCount += WriteNalUnit(nal, rtpTimestamp, marker: index == lastSent, sink);
            index++;
        }
        return true;
    }

    private bool ShouldSend(ReadOnlySpan<byte> nal, bool parameterSetsSentOutOfBand)
    {
        if ((nal[0] & ForbiddenBitMask) != 0) return false;
        var type = H264Nal.TypeOf(nal[0]);
        switch (type)
        {
            case 0 or >= H264NalType.StapA:
                // 0 and 24..31 are unspecified in a byte stream; in RTP they would read as aggregation or fragment headers.
                return false;
            case H264NalType.AccessUnitDelimiter or H264NalType.Sei or H264NalType.FillerData:
                return !_options.DropNonEssentialNalUnits;
            case H264NalType.Sps:
                // The same SPS already went in the STAP-A; a different one (an encoder restart) must reach the decoder.
                return !(parameterSetsSentOutOfBand && nal.SequenceEqual(_sps.AsSpan(0, _spsLength)));
            case H264NalType.Pps:
                return !(parameterSetsSentOutOfBand && nal.SequenceEqual(_pps.AsSpan(0, _ppsLength)));
            default:
                return true;
        }
    }

    private int WriteParameterSets(uint timestamp, bool marker, IRtpPacketSink sink)
    {
        var sps = _sps.AsSpan(0, _spsLength);
        var pps = _pps.AsSpan(0, _ppsLength);
        var payloadSize = StapAHeaderSize + StapASizeFieldSize + sps.Length + StapASizeFieldSize + pps.Length;
        if (payloadSize > MaxPayloadSize)
        {
            // Only a pathological SPS makes this happen; send the two as ordinary NAL units instead.
            return WriteNalUnit(sps, timestamp, marker: false, sink) + WriteNalUnit(pps, timestamp, marker, sink);
        }

        var packetSize = RtpHeader.FixedSize + payloadSize;
        var packet = sink.GetPacketBuffer(packetSize);
        var offset = Stream.WriteHeader(packet, timestamp, marker);
        // F is the OR of the aggregated F bits (all zero here), NRI the maximum of their NRIs (RFC 6184 §5.7).
        var nri = (byte)Math.Max(sps[0] & NriMask, pps[0] & NriMask);
        packet[offset++] = (byte)(nri | (byte)H264NalType.StapA);
        offset = WriteAggregationUnit(packet, offset, sps);
        offset = WriteAggregationUnit(packet, offset, pps);
        Commit(sink, packetSize);
        return 1;
    }

    private static int WriteAggregationUnit(Span<byte> packet, int offset, ReadOnlySpan<byte> nal)
    {
        BinaryPrimitives.WriteUInt16BigEndian(packet[offset..], (ushort)nal.Length);
        nal.CopyTo(packet[(offset + StapASizeFieldSize)..]);
        return offset + StapASizeFieldSize + nal.Length;
    }

    private int WriteNalUnit(ReadOnlySpan<byte> nal, uint timestamp, bool marker, IRtpPacketSink sink)
    {
        if (nal.Length <= MaxPayloadSize)
        {
            var packetSize = RtpHeader.FixedSize + nal.Length;
            var packet = sink.GetPacketBuffer(packetSize);
            var offset = Stream.WriteHeader(packet, timestamp, marker);
            nal.CopyTo(packet[offset..]);
            Commit(sink, packetSize);
            return 1;
        }
        return WriteFragments(nal, timestamp, marker, sink);
    }

    private int WriteFragments(ReadOnlySpan<byte> nal, uint timestamp, bool marker, IRtpPacketSink sink)
    {
        var header = nal[0];
        var fuIndicator = (byte)((header & (ForbiddenBitMask | NriMask)) | (byte)H264NalType.FuA);
        var type = (byte)(header & TypeMask);
        // The NAL header is not sent as such: the FU indicator and FU header carry its bits (§5.8).
        var data = nal[1..];
        var maxFragment = MaxPayloadSize - FuHeadersSize;
        var packets = 0;
        for (var offset = 0; offset < data.Length; offset += maxFragment)
        {
            var fragment = data.Slice(offset, Math.Min(maxFragment, data.Length - offset));
            var isFirst = offset == 0;
            var isLast = offset + fragment.Length == data.Length;
            var packetSize = RtpHeader.FixedSize + FuHeadersSize + fragment.Length;
            var packet = sink.GetPacketBuffer(packetSize);
            var at = Stream.WriteHeader(packet, timestamp, marker && isLast);
            packet[at] = fuIndicator;
            packet[at + 1] = (byte)((isFirst ? FuStartBit : 0) | (isLast ? FuEndBit : 0) | type);
            fragment.CopyTo(packet[(at + FuHeadersSize)..]);
            Commit(sink, packetSize);
            packets++;
        }
        return packets;
    }

    private void Commit(IRtpPacketSink sink, int packetSize)
    {
        sink.CommitPacket(packetSize);
        Stream.CountPacket(packetSize - RtpHeader.FixedSize);
    }

    private static void CopyInto(ref byte[] target, ReadOnlySpan<byte> source)
    {
        if (target.Length < source.Length) target = new byte[source.Length];
        source.CopyTo(target);
    }
}
