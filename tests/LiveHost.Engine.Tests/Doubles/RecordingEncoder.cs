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

    public bool Write(RawMediaTick tick)
    {
        FrameIndexes.Add(tick.FrameIndex);
        AudioFrameIndexes.Add(tick.AudioFrameIndex);
        Audio.AddRange(tick.Samples);
        tick.ReturnPixels();
        return true;
    }

    public void RequestKeyframe() { }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
