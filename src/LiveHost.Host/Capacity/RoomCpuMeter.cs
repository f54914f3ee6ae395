namespace LiveHost.Host.Capacity;

/// <summary>
/// CPU one room spends on its own threads: the engine tick's drawing (the composer measures itself with
/// <see cref="CpuClocks.ThreadNanoseconds"/> around each frame) adds here. Written by the room's tick, read by
/// <see cref="CapacityMonitor"/>.
/// </summary>
public sealed class RoomCpuMeter
{
    private long _nanoseconds;

    public TimeSpan Total => TimeSpan.FromTicks(Interlocked.Read(ref _nanoseconds) / 100);

    /// <summary>Adds CPU time measured on the room's thread, in ns.</summary>
    public void Add(long nanoseconds) => Interlocked.Add(ref _nanoseconds, nanoseconds);
}
