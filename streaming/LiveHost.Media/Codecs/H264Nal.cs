namespace LiveHost.Media.Codecs;

/// <summary>H.264 nal_unit_type values LiveHost looks at (ITU-T H.264 table 7-1; 24 and 28 from RFC 6184 §5.2).</summary>
public enum H264NalType : byte
{
    Unspecified = 0,
    NonIdrSlice = 1,
    PartitionA = 2,
    PartitionB = 3,
    PartitionC = 4,
    IdrSlice = 5,
    Sei = 6,
    Sps = 7,
    Pps = 8,
    AccessUnitDelimiter = 9,
    EndOfSequence = 10,
    EndOfStream = 11,
    FillerData = 12,

    /// <summary>RFC 6184 §5.7.1 single-time aggregation packet (RTP only; unspecified in a byte stream).</summary>
    StapA = 24,

    /// <summary>RFC 6184 §5.8 fragmentation unit without DON (RTP only).</summary>
    FuA = 28,
}

/// <summary>
/// Reads the one-byte NAL unit header (H.264 7.3.1):
/// <code>
/// +-+-+-+-+-+-+-+-+
/// |F|NRI|  Type   |
/// +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public static class H264Nal
{
    public static H264NalType TypeOf(byte header) => (H264NalType)(header & 0x1F);

    /// <summary>The type of a NAL unit, or <see cref="H264NalType.Unspecified"/> for an empty one.</summary>
    public static H264NalType TypeOf(ReadOnlySpan<byte> nal) => nal.IsEmpty ? H264NalType.Unspecified : TypeOf(nal[0]);

    /// <summary>nal_ref_idc: 0 means no other picture references this one.</summary>
    public static int RefIdc(byte header) => (header >> 5) & 0x3;

    /// <summary>forbidden_zero_bit must be 0 in a conforming stream.</summary>
    public static bool HasForbiddenBit(byte header) => (header & 0x80) != 0;

    public static bool IsIdr(ReadOnlySpan<byte> nal) => TypeOf(nal) == H264NalType.IdrSlice;

    public static bool IsSps(ReadOnlySpan<byte> nal) => TypeOf(nal) == H264NalType.Sps;

    public static bool IsPps(ReadOnlySpan<byte> nal) => TypeOf(nal) == H264NalType.Pps;

    /// <summary>A coded slice of a picture (what makes an access unit carry a picture).</summary>
    public static bool IsSlice(ReadOnlySpan<byte> nal) => TypeOf(nal) is H264NalType.NonIdrSlice or H264NalType.IdrSlice or H264NalType.PartitionA;
}
