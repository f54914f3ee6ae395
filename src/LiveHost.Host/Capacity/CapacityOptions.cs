namespace LiveHost.Host.Capacity;

/// <summary>
/// <c>Capacity</c>: how the server measures what its rooms and viewers cost and when it warns that it is full
/// (<c>GET /api/capacity</c>, <c>livehost_capacity_*</c>). Adding a room or an output past the target is still allowed;
/// it logs a warning.
/// </summary>
public sealed class CapacityOptions
{
    public const string SectionName = "Capacity";

    /// <summary>Machine CPU, in percent of all cores, that rooms and viewers may fill (default 80).</summary>
    public double TargetCpuPercent { get; set; } = 80;

    /// <summary>Seconds per measuring window (default 5).</summary>
    public double SampleSeconds { get; set; } = 5;

    /// <summary>
    /// CPU one viewer costs per RTP packet sent to it, in microseconds: the send path (ring copy, SRTP, batched send)
    /// runs on the thread pool, shared by every viewer, so it is taken from the <c>webrtc-fanout</c> benchmark
    /// (perf/results) rather than measured per room. Default: the batched runs of 2026-12-03 (2.8-3.8 µs; README).
    /// </summary>
    public double ViewerMicrosecondsPerPacket { get; set; } = 3.3;

    /// <summary>Packets per second one viewer gets when no room's stream has been measured yet (a 720p25 room: about 200).</summary>
    public double DefaultViewerPacketsPerSecond { get; set; } = 200;

    /// <summary>Every problem, each naming its setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(TargetCpuPercent is > 0 and <= 100)) errors.Add($"{SectionName}:TargetCpuPercent must be above 0 and at most 100 (was {TargetCpuPercent}).");
        if (!(SampleSeconds is >= 0.2 and <= 600)) errors.Add($"{SectionName}:SampleSeconds must be from 0.2 to 600 (was {SampleSeconds}).");
        if (!(ViewerMicrosecondsPerPacket is > 0 and <= 1000)) errors.Add($"{SectionName}:ViewerMicrosecondsPerPacket must be above 0 and at most 1000 (was {ViewerMicrosecondsPerPacket}).");
        if (!(DefaultViewerPacketsPerSecond is > 0 and <= 100_000)) errors.Add($"{SectionName}:DefaultViewerPacketsPerSecond must be above 0 and at most 100000 (was {DefaultViewerPacketsPerSecond}).");
        return errors;
    }
}
