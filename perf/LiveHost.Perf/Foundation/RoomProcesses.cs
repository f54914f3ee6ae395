using LiveHost.Perf.Measurement;

namespace LiveHost.Perf.Foundation;

/// <summary>The two ffmpeg processes of one room's encoder, found as children of this process that appeared when it started.</summary>
public sealed record RoomProcesses(string Room, int? VideoPid, int? AudioPid)
{
    /// <summary>Call right after a room's encoder started, with the ffmpeg children seen before it started.</summary>
    public static RoomProcesses Identify(string room, IReadOnlyCollection<int> before)
    {
        var fresh = ProcFs.Children(Environment.ProcessId, "ffmpeg").Where(p => !before.Contains(p)).ToArray();
        int? video = null, audio = null;
        foreach (var pid in fresh)
        {
            // The video run reads rawvideo; the audio run reads s16le.
            if (ProcFs.CommandLine(pid).Contains("rawvideo", StringComparison.Ordinal)) video = pid;
            else audio = pid;
        }
        return new RoomProcesses(room, video, audio);
    }
}
