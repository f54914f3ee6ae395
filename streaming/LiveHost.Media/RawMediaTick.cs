namespace LiveHost.Media;

/// <summary>
/// One tick of a room's media clock, as the engine hands it to the encoder: one BGRA video frame and
/// <see cref="MediaFormat.SamplesPerFrame"/> mono 16-bit samples.
/// <para>
/// The samples play during tick <see cref="AudioFrameIndex"/>, which is the frame's own index unless the engine sends
/// its audio ahead of the picture (<c>Engine:AudioLeadMilliseconds</c>): then they belong to a later tick, and
/// <see cref="AudioTimestamp"/> is the instant that tick is due. Each track's timestamps stay true to media time; only
/// the audio leaves earlier, so a receiver has it in hand when the matching picture arrives.
/// </para>
/// Ownership passes to the encoder, which returns <see cref="Pixels"/> to <see cref="Pool"/> when it has written it.
/// </summary>
public sealed class RawMediaTick
{
    public RawMediaTick(long frameIndex, byte[] pixels, FrameBufferPool pool, short[] samples, long createdTimestamp)
        : this(frameIndex, pixels, pool, samples, createdTimestamp, frameIndex, createdTimestamp)
    {
    }

    public RawMediaTick(long frameIndex, byte[] pixels, FrameBufferPool pool, short[] samples, long createdTimestamp, long audioFrameIndex, long audioTimestamp)
    {
        FrameIndex = frameIndex;
        Pixels = pixels;
        Pool = pool;
        Samples = samples;
        CreatedTimestamp = createdTimestamp;
        AudioFrameIndex = audioFrameIndex;
        AudioTimestamp = audioTimestamp;
    }

    public long FrameIndex { get; }
    public byte[] Pixels { get; }
    public FrameBufferPool Pool { get; }
    public short[] Samples { get; }

    /// <summary>Stopwatch timestamp when the engine finished the tick.</summary>
    public long CreatedTimestamp { get; }

    /// <summary>The tick <see cref="Samples"/> play in: <see cref="FrameIndex"/> plus the engine's audio lead in ticks.</summary>
    public long AudioFrameIndex { get; }

    /// <summary>
    /// Stopwatch timestamp of the instant the first sample is due: <see cref="CreatedTimestamp"/> plus the audio lead
    /// (in the future when there is one).
    /// </summary>
    public long AudioTimestamp { get; }

    /// <summary>
    /// The rows in which <see cref="Pixels"/> may differ from the frame composed before it, frame
    /// <see cref="PreviousFrameIndex"/> (not always <see cref="FrameIndex"/> - 1: ticks the engine skipped were never
    /// drawn). Null: unknown, take every row as changed. An encoder that holds the previous frame's picture may convert
    /// only these rows; one that does not (it dropped or never saw that frame) must convert them all.
    /// </summary>
    public ChangedRows? ChangedRows { get; init; }

    /// <summary>The frame <see cref="ChangedRows"/> is relative to; -1 when there is none.</summary>
    public long PreviousFrameIndex { get; init; } = -1;

    public void ReturnPixels() => Pool.Return(Pixels);
}
