using LiveHost.ControlPlane;
using LiveHost.Host.Rooms;
using LiveHost.WebRtc;
using LiveHost.WebRtc.Sessions;

namespace LiveHost.Host.Metrics;

/// <summary>
/// Copies each room's engine, encoder and output counters into the Prometheus series when /metrics is scraped.
/// Pull rather than push: the engine's loop only bumps plain fields, and the exporter pays the cost at scrape time.
/// </summary>
public sealed class RoomMetricsCollector
{
    private readonly LiveRooms _rooms;
    private readonly LiveHostMetrics _metrics;
    private readonly Dictionary<string, (long Timings, long Cues)> _seen = [];
    private readonly double[] _scratch = new double[Engine.Rooms.RoomStatistics.TimingWindow];
    private readonly Lock _gate = new();

    private readonly WebRtcService? _webRtc;

    public RoomMetricsCollector(LiveRooms rooms, LiveHostMetrics metrics, WebRtcService? webRtc = null)
    {
        _rooms = rooms;
        _metrics = metrics;
        _webRtc = webRtc;
        foreach (var room in rooms.All) metrics.InitializeRoom(room.Name);
        metrics.Registry.AddBeforeCollectCallback(Collect);
    }

    public void Collect()
    {
        lock (_gate)
        {
            if (_webRtc is not null) _metrics.SyncWebRtcSessions(EveryCloseReason(_webRtc.ClosedByReason), _webRtc.Refused);
            foreach (var room in _rooms.All)
            {
                var stats = room.Engine.Statistics;
                _metrics.SyncRoom(room.Name, stats.FramesRendered, stats.LateTicks, stats.LagMilliseconds);
                _metrics.SetQueueLength(room.Name, room.Controller.GetState().Queue.Count);
                _seen.TryGetValue(room.Name, out var seen);

                var n = stats.CopyRenderMsSince(seen.Timings, _scratch, out var timings);
                for (var i = 0; i < n; i++) _metrics.ObserveRender(room.Name, _scratch[i]);

                var cues = stats.CueToFirstAudioCount;
                var fresh = (int)Math.Min(cues - seen.Cues, int.MaxValue);
                if (fresh > 0)
                {
                    var recent = stats.CueToFirstAudioMs.ToArray();
                    for (var i = Math.Max(0, recent.Length - fresh); i < recent.Length; i++) _metrics.ObserveCueToFirstAudio(room.Name, recent[i]);
                }
                _seen[room.Name] = (timings, cues);

                var encoder = room.Encoder.Counters;
                _metrics.SyncEncoder(room.Name, encoder.VideoFramesDropped, encoder.VideoRestarts, encoder.AudioRestarts, encoder.KeyframesForced);
                foreach (var output in room.Outputs.List())
                {
                    _metrics.SyncOutput(room.Name, output.Id, output.Status == "live", output.Connects, output.DroppedFrames);
                    _metrics.SyncOutputDetails(room.Name, output.Id, output.Status, output.BitsPerSecond, output.Reconnects, output.LastError is not null);
                }
                if (room.WebRtc is { } stream && _webRtc is not null)
                {
                    _metrics.SyncWebRtcRoom(room.Name, _webRtc.ViewersOf(room.Name), stream.ViewerPacketsDropped, stream.KeyframeRequests);
                }
            }
        }
    }

    /// <summary>Every close reason, 0 where none happened yet, so the series is there before the first viewer leaves.</summary>
    private static Dictionary<string, long> EveryCloseReason(IReadOnlyDictionary<string, long> counted)
    {
        var all = Enum.GetNames<ViewerCloseReason>().ToDictionary(name => name, _ => 0L, StringComparer.Ordinal);
        foreach (var (reason, count) in counted) all[reason] = count;
        return all;
    }
}
