namespace LiveHost.WebRtc.Rtp.Rtcp;

/// <summary>What an RTCP packet means to a sender, from its type and feedback message type (FMT).</summary>
public enum RtcpPacketKind
{
    /// <summary>A structurally valid packet of a type LiveHost does not act on (XR, say): skip it.</summary>
    Unknown,
    SenderReport,
    ReceiverReport,
    SourceDescription,
    Goodbye,
    ApplicationDefined,

    /// <summary>RTPFB FMT 1, RFC 4585 §6.2.1.</summary>
    GenericNack,

    /// <summary>RTPFB FMT 15, draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1; recognised, not interpreted.</summary>
    TransportWideCongestionControl,

    OtherTransportFeedback,

    /// <summary>PSFB FMT 1, RFC 4585 §6.3.1.</summary>
    PictureLossIndication,

    /// <summary>PSFB FMT 4, RFC 5104 §4.3.1.</summary>
    FullIntraRequest,

    /// <summary>PSFB FMT 15 with the "REMB" identifier (draft-alvestrand-rmcat-remb-03); recognised, not interpreted.</summary>
    ReceiverEstimatedMaxBitrate,

    /// <summary>Other PSFB FMT 15 application-layer feedback (RFC 4585 §6.4).</summary>
    ApplicationLayerFeedback,

    OtherPayloadFeedback,
}
