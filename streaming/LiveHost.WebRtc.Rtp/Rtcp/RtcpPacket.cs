using System.Buffers.Binary;

namespace LiveHost.WebRtc.Rtp.Rtcp;

/// <summary>
/// One RTCP packet of a compound packet, classified and checked, as a view over the received bytes (no copy).
/// Feedback packets (RFC 4585 §6.1) share this layout after the common header:
/// <code>
/// |V=2|P|   FMT   |       PT      |          length               |
/// |                  SSRC of packet sender                        |
/// |                  SSRC of media source                         |
/// :            Feedback Control Information (FCI)                 :
/// </code>
/// <see cref="TryParse"/> never throws: bytes that are not a well-formed packet of the type they claim give false.
/// </summary>
public readonly ref struct RtcpPacket
{
    private const int FeedbackHeaderSize = 8;
    private static ReadOnlySpan<byte> RembIdentifier => "REMB"u8;

    private RtcpPacket(RtcpHeader header, RtcpPacketKind kind, ReadOnlySpan<byte> body)
    {
        Header = header;
        Kind = kind;
        Body = body;
    }

    public RtcpHeader Header { get; }
    public RtcpPacketKind Kind { get; }

    /// <summary>What follows the 4-byte header, without padding.</summary>
    public ReadOnlySpan<byte> Body { get; }

    /// <summary>
    /// The SSRC of the packet's sender: the first word of SR, RR, APP and feedback bodies, the first chunk's SSRC of
    /// an SDES and the first SSRC of a BYE; 0 when there is none.
    /// </summary>
    public uint SenderSsrc => Body.Length >= 4 && (Kind != RtcpPacketKind.Goodbye || Header.Count > 0) ? BinaryPrimitives.ReadUInt32BigEndian(Body) : 0;

    /// <summary>For feedback packets: the SSRC of the media source the feedback is about (0 for FIR, which names it per entry).</summary>
    public uint MediaSsrc => IsFeedback ? BinaryPrimitives.ReadUInt32BigEndian(Body[4..]) : 0;

    public bool IsFeedback => Header.PacketType is (byte)RtcpPacketType.TransportFeedback or (byte)RtcpPacketType.PayloadFeedback;

    /// <summary>Feedback Control Information of a feedback packet; empty otherwise.</summary>
    public ReadOnlySpan<byte> FeedbackControlInformation => IsFeedback ? Body[FeedbackHeaderSize..] : default;

    /// <summary>The reception report blocks of an SR or RR.</summary>
    public RtcpReportBlockEnumerator ReportBlocks => Kind switch
    {
        RtcpPacketKind.SenderReport => new RtcpReportBlockEnumerator(Body[RtcpSenderReport.SenderInfoSize..], Header.Count),
        RtcpPacketKind.ReceiverReport => new RtcpReportBlockEnumerator(Body[4..], Header.Count),
        _ => default,
    };

    /// <summary>The sequence numbers a generic NACK reports lost; empty for other kinds.</summary>
    public RtcpNackEnumerator LostSequenceNumbers => Kind == RtcpPacketKind.GenericNack ? new RtcpNackEnumerator(FeedbackControlInformation) : default;

    /// <summary>The entries of a FIR; empty for other kinds.</summary>
    public RtcpFirEntryEnumerator FirEntries => Kind == RtcpPacketKind.FullIntraRequest ? new RtcpFirEntryEnumerator(FeedbackControlInformation) : default;

    /// <summary>The SSRCs leaving, for a BYE; empty for other kinds.</summary>
    public RtcpSsrcEnumerator GoodbyeSsrcs => Kind == RtcpPacketKind.Goodbye ? new RtcpSsrcEnumerator(Body, Header.Count) : default;

    public bool TryGetSenderReport(out RtcpSenderReport report)
    {
        report = default;
        return Kind == RtcpPacketKind.SenderReport && RtcpSenderReport.TryReadBody(Body, out report);
    }

    /// <summary>Appends the NACK's lost sequence numbers to a list the caller reuses.</summary>
    public int AddLostSequenceNumbersTo(List<ushort> destination)
    {
        var added = 0;
        foreach (var sequenceNumber in LostSequenceNumbers)
        {
            destination.Add(sequenceNumber);
            added++;
        }
        return added;
    }

    /// <param name="consumed">The packet's size, padding included: where the next packet of a compound begins.</param>
    public static bool TryParse(ReadOnlySpan<byte> data, out RtcpPacket packet, out int consumed)
    {
        packet = default;
        consumed = 0;
        if (!RtcpHeader.TryParse(data, out var header, out _)) return false;
        var size = header.PacketSize;
        var body = data[RtcpHeader.Size..size];
        if (header.Padding)
        {
            // The last octet counts the padding including itself (RFC 3550 §6.4.1).
            var padding = body.IsEmpty ? 0 : body[^1];
            if (padding == 0 || padding > body.Length) return false;
            body = body[..^padding];
        }
        if (!TryClassify(header, body, out var kind)) return false;
        packet = new RtcpPacket(header, kind, body);
        consumed = size;
        return true;
    }

    private static bool TryClassify(RtcpHeader header, ReadOnlySpan<byte> body, out RtcpPacketKind kind)
    {
        kind = RtcpPacketKind.Unknown;
        var count = header.Count;
        switch ((RtcpPacketType)header.PacketType)
        {
            case RtcpPacketType.SenderReport:
                kind = RtcpPacketKind.SenderReport;
                return body.Length >= RtcpSenderReport.SenderInfoSize + count * RtcpReportBlock.Size;
            case RtcpPacketType.ReceiverReport:
                kind = RtcpPacketKind.ReceiverReport;
                return body.Length >= 4 + count * RtcpReportBlock.Size;
            case RtcpPacketType.SourceDescription:
                kind = RtcpPacketKind.SourceDescription;
                return count == 0 || body.Length >= 4;
            case RtcpPacketType.Goodbye:
                kind = RtcpPacketKind.Goodbye;
                return body.Length >= 4 * count;
            case RtcpPacketType.ApplicationDefined:
                kind = RtcpPacketKind.ApplicationDefined;
                return body.Length >= 8;
            case RtcpPacketType.TransportFeedback:
                if (body.Length < FeedbackHeaderSize) return false;
                kind = count switch
                {
                    1 => RtcpPacketKind.GenericNack,
                    15 => RtcpPacketKind.TransportWideCongestionControl,
                    _ => RtcpPacketKind.OtherTransportFeedback,
                };
                // A NACK carries one or more whole 4-byte FCI entries (RFC 4585 §6.2.1).
                return kind != RtcpPacketKind.GenericNack || IsWholeEntries(body.Length - FeedbackHeaderSize, RtcpNackEnumerator.EntrySize);
            case RtcpPacketType.PayloadFeedback:
                if (body.Length < FeedbackHeaderSize) return false;
                var fci = body[FeedbackHeaderSize..];
                kind = count switch
                {
                    1 => RtcpPacketKind.PictureLossIndication,
                    4 => RtcpPacketKind.FullIntraRequest,
                    15 => fci.StartsWith(RembIdentifier) ? RtcpPacketKind.ReceiverEstimatedMaxBitrate : RtcpPacketKind.ApplicationLayerFeedback,
                    _ => RtcpPacketKind.OtherPayloadFeedback,
                };
                // PLI has no FCI (RFC 4585 §6.3.1.2); FIR one or more 8-byte entries (RFC 5104 §4.3.1.1).
                return kind != RtcpPacketKind.FullIntraRequest || IsWholeEntries(fci.Length, RtcpFirEntry.Size);
            default:
                return true;
        }
    }

    private static bool IsWholeEntries(int length, int entrySize) => length > 0 && length % entrySize == 0;
}
