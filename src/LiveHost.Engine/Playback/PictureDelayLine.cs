using LiveHost.Speech;

namespace LiveHost.Engine.Playback;

/// <summary>
/// Holds what the avatar's mouth shows for each tick of audio (<see cref="PictureState"/>) until the picture of that
/// tick is drawn, <see cref="Ticks"/> ticks later: the engine places audio ahead of the picture
/// (<c>Engine:AudioLeadMilliseconds</c>) so that it leaves earlier and a browser's audio jitter buffer is filled by the
/// time the matching frame is shown, while the picture is drawn, and so shown, as soon as ever. Only the mouth waits:
/// what a cue changes otherwise (the caption, the product card, an action) is drawn on the tick's own frame.
/// <para>
/// A ring of <see cref="Ticks"/> + 1 slots, each with its own copy of the tick's audio window, allocated once: pushing
/// tick n's state returns tick n - <see cref="Ticks"/>'s (silence for the first ones). With no lead
/// the pushed state comes straight back, window and all, without a copy.
/// </para>
/// </summary>
public sealed class PictureDelayLine
{
    private readonly Slot[] _slots;
    private long _pushed;

    public PictureDelayLine(int ticks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        Ticks = ticks;
        _slots = ticks == 0 ? [] : new Slot[ticks + 1];
        for (var i = 0; i < _slots.Length; i++) _slots[i] = new Slot();
    }

    /// <summary>How many ticks the picture trails the audio.</summary>
    public int Ticks { get; }

    /// <summary>Keeps tick n's picture state and returns the one to draw now, tick n - <see cref="Ticks"/>'s.</summary>
    /// <param name="audioWindow">The tick's <see cref="AvatarFrame.Audio"/> window; copied, as its owner reuses it.</param>
    /// <remarks>The returned window stays valid until the next call.</remarks>
    public PictureState Push(PictureState state, ReadOnlyMemory<float> audioWindow)
    {
        if (Ticks == 0) return state with { Audio = audioWindow };

        var slot = _slots[_pushed % _slots.Length];
        if (slot.Window.Length != audioWindow.Length) slot.Window = new float[audioWindow.Length];
        audioWindow.Span.CopyTo(slot.Window);
        slot.State = state with { Audio = slot.Window };
        _pushed++;

        // The slot written Ticks pushes ago; nothing yet while the line fills: a silent, still picture.
        if (_pushed <= Ticks) return PictureState.Silent;
        return _slots[(_pushed - 1 - Ticks) % _slots.Length].State;
    }

    /// <summary>
    /// The engine skipped <paramref name="ticks"/> ticks (a gap on both tracks' timelines): the pictures waiting for
    /// frames that fall in the gap are dropped, and the audio gap (no sound) is drawn silent.
    /// The pictures of audio already placed after the gap's frames keep their place, so each frame still shows its own audio.
    /// </summary>
    public void Skip(long ticks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ticks);
        // Pushing Ticks gap states replaces everything waiting; more would change nothing.
        var gaps = Math.Min(ticks, Ticks);
        for (var i = 0; i < gaps; i++)
        {
            var slot = _slots[_pushed % _slots.Length];
            Array.Clear(slot.Window);
            slot.State = PictureState.Silent with { Audio = slot.Window };
            _pushed++;
        }
    }

    private sealed class Slot
    {
        public float[] Window { get; set; } = [];
        public PictureState State { get; set; } = PictureState.Silent;
    }
}
