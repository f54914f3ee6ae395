namespace LiveHost.Encoding.Video;

/// <summary>A frame written to ffmpeg and not yet seen coming out: what its access unit will be stamped with.</summary>
internal readonly record struct PendingVideoFrame(long FrameIndex, long SourceTimestamp);
