using LiveHost.Perf.Measurement;

namespace LiveHost.Perf.Encoding;

/// <summary>One video encoder's run in the <c>video-encode</c> benchmark.</summary>
public sealed record VideoEncodeRun(
    string Encoder, int FramesWritten, long FramesOut, long FramesDropped, Distribution WriteToPublishMs,
    double ProcessCpuMsPerFrame, double VideoFfmpegCpuMsPerFrame, Distribution KeyframeRequestToIdrMs, long KeyframesForced)
{
    /// <summary>Everything the video encode costs per frame: this process (conversion, x264 when in process) plus an ffmpeg video child.</summary>
    public double CpuMsPerFrame => ProcessCpuMsPerFrame + VideoFfmpegCpuMsPerFrame;
}

public sealed record VideoEncodeResult(DateTimeOffset StartedAt, string Command, MachineInfo Machine, int Width, int Height, int Fps, int Seconds, IReadOnlyList<VideoEncodeRun> Runs);
