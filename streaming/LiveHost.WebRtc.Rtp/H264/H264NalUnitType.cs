namespace LiveHost.WebRtc.Rtp.H264;

/// <summary>The nal_unit_type values LiveHost cares about (ITU-T H.264 Table 7-1; 24..29 from RFC 6184 §5.2).</summary>
public enum H264NalUnitType : byte
{
    Slice = 1,
    IdrSlice = 5,
    SupplementalEnhancementInformation = 6,
    SequenceParameterSet = 7,
    PictureParameterSet = 8,
    AccessUnitDelimiter = 9,
    EndOfSequence = 10,
    EndOfStream = 11,
    FillerData = 12,

    /// <summary>RFC 6184 §5.7.1 single-time aggregation packet.</summary>
    StapA = 24,

    /// <summary>RFC 6184 §5.8 fragmentation unit without DON.</summary>
    FuA = 28,
}
