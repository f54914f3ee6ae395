using LiveHost.ControlPlane.Capacity;
using Prometheus;

namespace LiveHost.Host.Capacity;

/// <summary>The <c>livehost_capacity_*</c> series, set from a <see cref="CapacityReport"/> at scrape time.</summary>
public sealed class CapacityMetrics
{
    private readonly Gauge _roomsRunning;
    private readonly Gauge _roomCpu;
    private readonly Gauge _moreRooms;
    private readonly Gauge _viewers;
    private readonly Gauge _viewerCpu;
    private readonly Gauge _moreViewers;
    private readonly Gauge _cpu;
    private readonly Gauge _target;

    public CapacityMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _roomsRunning = factory.CreateGauge("livehost_capacity_rooms_running", "Rooms running, by kind (cartoon, realistic, lip-synced).", ["kind"]);
        _roomCpu = factory.CreateGauge("livehost_capacity_room_cpu_cores", "Measured CPU of one room of a kind (mean of those running), in cores; NaN while none runs or before the first window.", ["kind"]);
        _moreRooms = factory.CreateGauge("livehost_capacity_more_rooms", "Rooms of a kind that would still fit under the CPU target; NaN while the kind's cost is unknown.", ["kind"]);
        _viewers = factory.CreateGauge("livehost_capacity_viewers", "WebRTC viewers of all rooms.");
        _viewerCpu = factory.CreateGauge("livehost_capacity_viewer_cpu_cores", "CPU one more viewer costs, in cores.");
        _moreViewers = factory.CreateGauge("livehost_capacity_more_viewers", "WebRTC viewers that would still fit under the CPU target; NaN before the first window.");
        _cpu = factory.CreateGauge("livehost_capacity_cpu_cores", "CPU in use over the last window, in cores: the whole machine, or this process with its ffmpeg children; NaN before the first window.", ["scope"]);
        _target = factory.CreateGauge("livehost_capacity_target_cpu_cores", "The CPU target (Capacity:TargetCpuPercent of all cores), in cores.");
    }

    public void Update(CapacityReport report)
    {
        foreach (var kind in report.Kinds)
        {
            _roomsRunning.WithLabels(kind.Kind).Set(kind.Running);
            _roomCpu.WithLabels(kind.Kind).Set(kind.CpuCoresPerRoom ?? double.NaN);
            _moreRooms.WithLabels(kind.Kind).Set(kind.MoreRooms ?? double.NaN);
        }
        _viewers.Set(report.Viewers);
        _viewerCpu.Set(report.CpuCoresPerViewer ?? double.NaN);
        _moreViewers.Set(report.MoreViewers ?? double.NaN);
        _cpu.WithLabels("machine").Set(report.MachineCpuCores ?? double.NaN);
        _cpu.WithLabels("process").Set(report.ProcessCpuCores ?? double.NaN);
        _target.Set(report.Cores * report.TargetCpuPercent / 100);
    }
}
