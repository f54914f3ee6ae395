using LiveHost.Avatars;
using LiveHost.Speech;

namespace LiveHost.Engine.Playback;

/// <summary>
/// Builds <see cref="AvatarFrame.Audio"/> for each tick: the 200 ms already heard, this tick's samples, and what the
/// current line will say next (peeked, not consumed). One buffer per room, reused every tick, so it costs two copies
/// and no allocation.
/// </summary>
public sealed class AvatarAudioContext
{
    private const int Context = AvatarFrame.AudioContextSamples;
    private const float Scale = 1f / 32768f;

    private readonly float[] _window = new float[2 * Context];
    private readonly float[] _history = new float[Context];
    private readonly short[] _ahead = new short[Context];

    /// <summary>The engine skipped ticks (a silent gap on the timeline): what was heard before it is no longer just heard.</summary>
    public void Gap() => Array.Clear(_history);

    /// <summary>Returns the window for a tick whose samples are <paramref name="tick"/>, then remembers them.</summary>
    public ReadOnlyMemory<float> Next(ReadOnlySpan<short> tick, LinePlayback? line)
    {
        var window = _window.AsSpan();
        _history.CopyTo(window);
        var future = window[Context..];
        var n = Math.Min(tick.Length, Context);
        for (var i = 0; i < n; i++) future[i] = tick[i] * Scale;

        var peeked = line?.Peek(_ahead.AsSpan(0, Context - n)) ?? 0;
        for (var i = 0; i < peeked; i++) future[n + i] = _ahead[i] * Scale;
        future[(n + peeked)..].Clear();

        // Slide the history by this tick.
        if (n >= Context)
        {
            future[..Context].CopyTo(_history);
        }
        else
        {
            _history.AsSpan(n).CopyTo(_history);
            future[..n].CopyTo(_history.AsSpan(Context - n));
        }
        return _window;
    }
}
