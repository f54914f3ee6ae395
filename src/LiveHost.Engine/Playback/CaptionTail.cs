namespace LiveHost.Engine.Playback;

/// <summary>
/// The caption of a line that ended by itself, kept on screen while its last sound is still to be drawn. A line's
/// caption follows the cue, not the sound: it is drawn from the frame of the tick that took the line, and a cut (CueNow,
/// Skip) removes it on the frame of the cut. But the audio runs <see cref="Ticks"/> ticks ahead of the picture
/// (<c>Engine:AudioLeadMilliseconds</c>), so a line whose audio was all placed is still heard, and its mouth still moves,
/// for that long: its caption stays with it, unless another line is taken first. With no lead there is no tail.
/// </summary>
public sealed class CaptionTail
{
    private string? _caption;
    private long _left;

    public CaptionTail(int ticks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        Ticks = ticks;
    }

    /// <summary>How many frames after its end a line's caption stays: the audio lead, in ticks.</summary>
    public int Ticks { get; }

    /// <summary>A line ended with its sound still to be drawn: its caption (null: none) stays the next <see cref="Ticks"/> frames.</summary>
    public void Ended(string? caption)
    {
        _caption = caption;
        _left = caption is null ? 0 : Ticks;
    }

    /// <summary>A line was cut (or ended with nothing to hear): no caption is kept.</summary>
    public void Clear()
    {
        _caption = null;
        _left = 0;
    }

    /// <summary>The caption for the next frame drawn with no line current (null when none is kept).</summary>
    public string? Next()
    {
        if (_left <= 0) return null;
        _left--;
        return _caption;
    }

    /// <summary>The engine skipped <paramref name="ticks"/> frames: the kept caption's time runs on over the gap.</summary>
    public void Skip(long ticks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        _left = Math.Max(0, _left - ticks);
    }
}
