using System.Text.Json;
using LiveHost.Perf.Measurement;

namespace LiveHost.Perf.WebRtc;

/// <summary>One frame the browser presented, as the page recorded it (times in Unix ms, the browser's clock).</summary>
public sealed record PresentedFrame(int Value, double CallbackUnixMs, double ExpectedDisplayUnixMs, double? ReceiveUnixMs, long PresentedFrames, int Width, int Height);

/// <summary>What the page returned at one moment: frames since the last call and its counters.</summary>
public sealed record PageSnapshot(IReadOnlyList<PresentedFrame> Records, long Callbacks, long Undecodable, long MissedPresentations, JsonElement? Stats, string? Error);

/// <summary>One presented frame paired with the moment the server drew it.</summary>
public sealed record FrameLatency(long FrameIndex, double DrawnUnixMs, double ReceiveMs, double CallbackMs, double DisplayMs);

/// <summary>A whole <c>glass-to-glass</c> run.</summary>
public sealed record GlassToGlassResult(
    DateTimeOffset StartedAt, GlassToGlassOptions Options, MachineInfo Machine, string Outcome, string? Browser,
    Distribution DrawnToDisplay, Distribution DrawnToCallback, Distribution DrawnToReceive, Distribution ReceiveToDisplay,
    double WindowSeconds, int FramesProducedInWindow, int FramesPresented, int DistinctFramesPresented, long Undecodable, long Unmatched,
    long MissedPresentations, double FramesDecoded, double FramesDropped, double PacketsLost, string? VideoSize,
    double MachineBusyCores, IReadOnlyList<FrameLatency> Frames, IReadOnlyList<string> PageLog)
{
    /// <summary>The watch page's <c>stats().latency</c> at the end of the window (its "recent" values cover the window).</summary>
    public JsonElement? PageLatency { get; init; }
}
