using System.Collections.Concurrent;
using System.Diagnostics;
using LiveHost.Engine.Rooms;

namespace LiveHost.Perf.WebRtc;

/// <summary>
/// When the server produced each frame, on the browser's clock: the room's engine reports every tick
/// (<see cref="RoomStatistics.TickRecorded"/>, raised inside the tick right after the frame was drawn and handed to the
/// encoder), and its Stopwatch timestamp is turned into Unix milliseconds (what <c>Date.now()</c> counts) through one
/// anchor taken from the same <see cref="TimeProvider"/> at the start. Same machine, same clock as the browser.
/// In-process only: the benchmark's view of the host, nothing the host exposes.
/// </summary>
public sealed class ServerFrameClock : IDisposable
{
    private readonly RoomStatistics _statistics;
    private readonly ConcurrentDictionary<long, FrameProduced> _frames = new();
    private readonly long _anchorTimestamp;
    private readonly double _anchorUnixMs;

    public ServerFrameClock(RoomStatistics statistics, TimeProvider time)
    {
        _statistics = statistics;
        _anchorTimestamp = Stopwatch.GetTimestamp();
        _anchorUnixMs = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalMilliseconds;
        statistics.TickRecorded += OnTick;
    }

    /// <summary>One frame: drawn by <see cref="DrawnUnixMs"/> (handed to the encoder), drawing took <see cref="RenderMs"/>.</summary>
    public readonly record struct FrameProduced(long FrameIndex, double DrawnUnixMs, double RenderMs);

    public bool TryGet(long frameIndex, out FrameProduced frame) => _frames.TryGetValue(frameIndex, out frame);

    public double NowUnixMs => ToUnixMs(Stopwatch.GetTimestamp());

    /// <summary>Frames produced whose drawn time lies in [from, to).</summary>
    public int CountBetween(double fromUnixMs, double toUnixMs) => _frames.Values.Count(f => f.DrawnUnixMs >= fromUnixMs && f.DrawnUnixMs < toUnixMs);

    private void OnTick(in RoomStatistics.TickTiming timing, ReadOnlySpan<short> samples) =>
        _frames[timing.FrameIndex] = new FrameProduced(timing.FrameIndex, ToUnixMs(timing.HandedToEncoderTimestamp), timing.RenderMs);

    private double ToUnixMs(long stopwatchTimestamp) => _anchorUnixMs + (double)(stopwatchTimestamp - _anchorTimestamp) * 1000 / Stopwatch.Frequency;

    public void Dispose() => _statistics.TickRecorded -= OnTick;
}
