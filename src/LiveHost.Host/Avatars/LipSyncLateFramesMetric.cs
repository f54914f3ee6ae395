using LiveHost.ControlPlane;

namespace LiveHost.Host.Avatars;

/// <summary>
/// Exports <c>livehost_lipsync_late_frames_total{room}</c>: frames a realistic room showed with the recorded mouth
/// because its lip-sync result was not back within <c>Avatars:LipSyncWaitMilliseconds</c> (or the inference failed),
/// read from each room's avatar at scrape time. Every room has the series; a cartoon room's stays 0.
/// </summary>
public sealed class LipSyncLateFramesMetric : IHostedService
{
    public const string Name = "livehost_lipsync_late_frames_total";

    private readonly AvatarFactory _avatars;
    private readonly Prometheus.Counter _late;

    public LipSyncLateFramesMetric(LiveHostMetrics metrics, AvatarFactory avatars)
    {
        _avatars = avatars;
        _late = Prometheus.Metrics.WithCustomRegistry(metrics.Registry).CreateCounter(Name,
            "Video frames a realistic room showed without a fresh mouth because lip-sync inference was late (or failed).", ["room"]);
        metrics.Registry.AddBeforeCollectCallback(Update);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Update();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Update()
    {
        foreach (var (room, avatar) in _avatars.RoomAvatars) _late.WithLabels(room).IncTo(avatar?.LateFrames ?? 0);
    }
}
