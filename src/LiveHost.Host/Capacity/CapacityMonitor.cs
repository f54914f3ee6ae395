using LiveHost.ControlPlane;
using LiveHost.ControlPlane.Capacity;
using LiveHost.Host.Rooms;
using LiveHost.WebRtc;
using Prometheus;

namespace LiveHost.Host.Capacity;

/// <summary>
/// Measures, every <see cref="CapacityOptions.SampleSeconds"/>, what the running rooms and viewers cost (see
/// <see cref="CapacityEstimate"/> for how) on its own task, never on a room's tick; serves the latest as
/// <c>GET /api/capacity</c> and the <c>livehost_capacity_*</c> series, and logs a warning when a room or an output is
/// added past the CPU target (the addition still happens).
/// </summary>
public sealed partial class CapacityMonitor : BackgroundService, IHostCapacity
{
    private readonly LiveRooms _rooms;
    private readonly WebRtcService? _webRtc;
    private readonly CapacityOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CapacityMonitor> _logger;
    private readonly CapacityMetrics _metrics;
    private readonly Dictionary<LiveRoom, (TimeSpan Render, long Packets)> _seen = [];
    private readonly TaskCompletionSource _firstSample = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MachineSample _machine;
    private IReadOnlyDictionary<LiveRoom, (double? RenderCores, double PacketsPerSecond)> _measured = new Dictionary<LiveRoom, (double?, double)>();

    public CapacityMonitor(LiveRooms rooms, LiveHostMetrics metrics, CapacityOptions options, TimeProvider time, ILogger<CapacityMonitor> logger,
        WebRtcService? webRtc = null)
    {
        _rooms = rooms;
        _webRtc = webRtc;
        _options = options;
        _time = time;
        _logger = logger;
        _machine = new MachineSample(null, 0, Environment.ProcessorCount, null, null, null);
        _metrics = new CapacityMetrics(metrics.Registry);
        metrics.Registry.AddBeforeCollectCallback(() => _metrics.Update(Current()));
    }

    /// <summary>Completes when the first window has been measured (CPU figures are null before).</summary>
    public Task FirstSample => _firstSample.Task;

    public CapacityReport Current()
    {
        var measured = Volatile.Read(ref _measured);
        var rooms = _rooms.All.Select(room =>
        {
            measured.TryGetValue(room, out var m);
            var format = room.Encoder.Format;
            return new RoomSample(room.Name, RoomKinds.Of(room.Options), (double)format.Width * format.Height * format.FramesPerSecond,
                _webRtc?.ViewersOf(room.Name) ?? 0, m.PacketsPerSecond, m.RenderCores);
        }).ToArray();
        return CapacityEstimate.From(Volatile.Read(ref _machine), rooms, _options);
    }

    /// <summary>Logs a warning when a room of <paramref name="kind"/> added now takes the machine past its CPU target.</summary>
    public void RoomAdding(string room, string kind)
    {
        var report = Current();
        if (report.FreeCpuCores is not { } free) return;
        var known = report.Kinds.Where(k => k.CpuCoresPerRoom is not null).ToArray();
        var cost = report.Kinds.First(k => k.Kind == kind).CpuCoresPerRoom ?? (known.Length > 0 ? known.Max(k => k.CpuCoresPerRoom!.Value) : 0);
        if (free - cost < 0) LogRoomPastTarget(room, kind, cost, report.TargetCpuPercent, report.Cores * report.TargetCpuPercent / 100 - free, report.Cores);
    }

    /// <summary>Logs a warning when the machine is already past its CPU target as an output is added.</summary>
    public void OutputAdding(string room)
    {
        var report = Current();
        if (report.FreeCpuCores is { } free && free < 0)
        {
            LogOutputPastTarget(room, report.TargetCpuPercent, report.Cores * report.TargetCpuPercent / 100 - free, report.Cores);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var window = TimeSpan.FromSeconds(_options.SampleSeconds);
        using var timer = new PeriodicTimer(window, _time);
        var lastAt = _time.GetTimestamp();
        var (lastBusy, lastTotal) = CpuClocks.Machine();
        var lastProcess = CpuClocks.ProcessWithChildren();
        var lastInference = CpuClocks.ThreadsNamed("onnx-");
        foreach (var room in _rooms.All) _seen[room] = Totals(room);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var at = _time.GetTimestamp();
                var seconds = _time.GetElapsedTime(lastAt, at).TotalSeconds;
                var (busy, total) = CpuClocks.Machine();
                var process = CpuClocks.ProcessWithChildren();
                var inference = CpuClocks.ThreadsNamed("onnx-");
                var measured = new Dictionary<LiveRoom, (double?, double)>();
                foreach (var room in _rooms.All)
                {
                    var now = Totals(room);
                    // A room first seen now has no window yet: its cost is known from the next one.
                    if (_seen.TryGetValue(room, out var before)) measured[room] = ((now.Render - before.Render).TotalSeconds / seconds, (now.Packets - before.Packets) / seconds);
                    _seen[room] = now;
                }
                foreach (var gone in _seen.Keys.Where(r => !measured.ContainsKey(r) && !_rooms.All.Contains(r)).ToArray()) _seen.Remove(gone);
                Volatile.Write(ref _measured, measured);
                Volatile.Write(ref _machine, new MachineSample(_time.GetUtcNow(), seconds, Environment.ProcessorCount,
                    total > lastTotal ? (double)(busy - lastBusy) / (total - lastTotal) * Environment.ProcessorCount : null,
                    (process - lastProcess).TotalSeconds / seconds, (inference - lastInference).TotalSeconds / seconds));
                (lastAt, lastBusy, lastTotal, lastProcess, lastInference) = (at, busy, total, process, inference);
                _firstSample.TrySetResult();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static (TimeSpan Render, long Packets) Totals(LiveRoom room) =>
        (room.CpuMeter.Total, room.WebRtc is { } stream ? stream.VideoPackets + stream.AudioPackets : 0);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room} ({Kind}, about {Cost:0.00} cores) takes this server past its {Target}% CPU target: {Used:0.00} of {Cores} cores were in use before it (GET /api/capacity)")]
    private partial void LogRoomPastTarget(string room, string kind, double cost, double target, double used, int cores);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An output is added to room {Room} with this server past its {Target}% CPU target: {Used:0.00} of {Cores} cores in use (GET /api/capacity)")]
    private partial void LogOutputPastTarget(string room, double target, double used, int cores);
}
