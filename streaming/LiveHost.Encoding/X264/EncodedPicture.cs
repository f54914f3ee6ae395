namespace LiveHost.Encoding.X264;

/// <summary>One encoded access unit as x264 returned it.</summary>
/// <param name="Data">AVCC: NAL units each prefixed by a 4-byte big-endian length.</param>
/// <param name="FrameIndex">The presentation index the picture was given.</param>
/// <param name="IsIdr">Whether x264 coded it as an IDR picture.</param>
public readonly record struct EncodedPicture(byte[] Data, long FrameIndex, bool IsIdr);
