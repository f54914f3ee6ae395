namespace LiveHost.Encoding.Audio;

/// <summary>The samples of one tick on their way to the audio ffmpeg.</summary>
internal readonly record struct AudioChunk(long FrameIndex, short[] Samples, long SourceTimestamp);
