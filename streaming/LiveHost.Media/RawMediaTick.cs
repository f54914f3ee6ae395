namespace LiveHost.Media;

/// <summary>
/// One tick of a room's media clock, as the engine hands it to the encoder: one BGRA video frame and the
/// <see cref="MediaFormat.SamplesPerFrame"/> mono 16-bit samples that play during it.
/// Ownership passes to the encoder, which returns <see cref="Pixels"/> to <see cref="Pool"/> when it has written it.
/// </summary>
public sealed class RawMediaTick
{
    public RawMediaTick(long frameIndex, byte[] pixels, FrameBufferPool pool, short[] samples, long createdTimestamp)
    {
        FrameIndex = frameIndex;
        Pixels = pixels;
        Pool = pool;
        Samples = samples;
        CreatedTimestamp = createdTimestamp;
    }

    public long FrameIndex { get; }
    public byte[] Pixels { get; }
    public FrameBufferPool Pool { get; }
    public short[] Samples { get; }

    /// <summary>Stopwatch timestamp when the engine finished the tick.</summary>
    public long CreatedTimestamp { get; }

    public void ReturnPixels() => Pool.Return(Pixels);
}
