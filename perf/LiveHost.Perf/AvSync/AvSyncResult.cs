using System.Text.Json;
using LiveHost.Perf.Measurement;
using LiveHost.TestSupport.AvSync;

namespace LiveHost.Perf.AvSync;

/// <summary>
/// A whole <c>av-sync</c> run: the browser's offsets (<see cref="Browser"/>: the element's sound, handed to the output
/// plus the output's delay; <see cref="Tap"/>: the WebAudio tap's, a cross-check) and, with RTMP, the pulled stream's.
/// <see cref="HandedSeenFirst"/> counts the markers whose packet had two distinct stamps (Chromium 156 stamps a packet
/// once, when its first 10 ms are pulled: 0 there); <see cref="HandedLeadMs"/> is picture shown less sound handed over,
/// before the device.
/// </summary>
public sealed record AvSyncResult(
    DateTimeOffset StartedAt, AvSyncOptions Options, MachineInfo Machine, string BrowserVersion, string AudioSource, double MinutesMeasured,
    double MachineBusyCores, AvSyncSummary Browser, long Callbacks, long Undecodable, JsonElement PageStats,
    AvSyncSummary? Rtmp, RtmpAvSyncData? RtmpCounts, string LoadAverage, ChromiumSyncSamples Chromium,
    Distribution TapDelayMs, AvSyncSummary Tap, int Unheard, TapOutputSamples TapOutput, int HandedSeenFirst, Distribution HandedLeadMs, KeyframeSplit OnKeyframes)
{
    /// <summary>The tap's offsets corrected for its stream source's own buffering (its p50): the tap hears each onset that much late.</summary>
    public double CalibratedTapP50Ms => Tap.P50Ms + TapDelayMs.P50;
}
