namespace LiveHost.Media;

/// <summary>The H.264 parameter sets of a room's current encode, and the AVCDecoderConfigurationRecord built from them.</summary>
public sealed record H264Config(byte[] Sps, byte[] Pps, byte[] DecoderConfigurationRecord, int Width, int Height)
{
    public byte ProfileIdc => Sps.Length > 1 ? Sps[1] : (byte)0;
    public byte ConstraintFlags => Sps.Length > 2 ? Sps[2] : (byte)0;
    public byte LevelIdc => Sps.Length > 3 ? Sps[3] : (byte)0;

    /// <summary>The RFC 6184 profile-level-id (hex), as SDP wants it.</summary>
    public string ProfileLevelId => $"{ProfileIdc:x2}{ConstraintFlags:x2}{LevelIdc:x2}";
}
