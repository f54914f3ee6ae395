using LiveHost.Media;

namespace LiveHost.Engine.Tests.Doubles;

/// <summary>Test double for the room encoder: keeps every tick's audio and frame index. The real one is LiveHost.Encoding's.</summary>
public sealed class RecordingEncoder(MediaFormat format) : IRoomEncoder
{
    public List<long> FrameIndexes { get; } = [];

    /// <summary>Each tick's <see cref="RawMediaTick.AudioFrameIndex"/>: the tick its samples play in.</summary>
    public List<long> AudioFrameIndexes { get; } = [];
    public List<short> Audio { get; } = [];

    public MediaBroadcaster Output { get; } = new(format);
    public long DroppedVideoFrames => 0;

    /// <summary>Raised after each tick is recorded (on the engine's loop when it runs on its own).</summary>
    public event Action<long>? Written;

    /// <summary>Ticks recorded so far; safe from any thread.</summary>
    public int Count
    {
        get
        {
            lock (FrameIndexes) return FrameIndexes.Count;
        }
    }

    public bool Write(RawMediaTick tick)
    {
        lock (FrameIndexes)
        {
            FrameIndexes.Add(tick.FrameIndex);
            AudioFrameIndexes.Add(tick.AudioFrameIndex);
            Audio.AddRange(tick.Samples);
        }
        tick.ReturnPixels();
        Written?.Invoke(tick.FrameIndex);
        return true;
    }

    public void RequestKeyframe() { }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
