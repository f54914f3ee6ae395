using System.Text.Json;
using LiveHost.Perf.Measurement;
using LiveHost.TestSupport.AvSync;

namespace LiveHost.Perf.AvSync;

/// <summary>A whole <c>av-sync</c> run: the browser's offsets and, with RTMP, the pulled stream's.</summary>
public sealed record AvSyncResult(
    DateTimeOffset StartedAt, AvSyncOptions Options, MachineInfo Machine, string BrowserVersion, string AudioSource, double MinutesMeasured,
    double MachineBusyCores, AvSyncSummary Browser, long Callbacks, long Undecodable, JsonElement PageStats,
    AvSyncSummary? Rtmp, RtmpAvSyncData? RtmpCounts, string LoadAverage, ChromiumSyncSamples Chromium,
    Distribution TapDelayMs)
{
    /// <summary>The browser's offsets corrected for the tap's own buffering (its p50): the tap hears each onset that much late.</summary>
    public double CalibratedP50Ms => Browser.P50Ms + TapDelayMs.P50;
}
