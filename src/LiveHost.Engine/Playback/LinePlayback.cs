using LiveHost.Engine.Lines;
using LiveHost.Speech;

namespace LiveHost.Engine.Playback;

/// <summary>
/// The line a room is speaking: its audio as it arrives from the synthesizer, how much of it has played, and
/// its phoneme timeline. Only the room's engine loop touches it.
/// </summary>
public sealed class LinePlayback : IDisposable
{
    private readonly SpeechStream _speech;
    private readonly Queue<short[]> _pending = new();
    private readonly List<PhonemeMark> _marks = [];
    private int _offsetInHead;
    private int _markCursor;

    public LinePlayback(Line line, SpeechStream speech, long startedTimestamp)
    {
        Line = line;
        _speech = speech;
        StartedTimestamp = startedTimestamp;
    }

    public Line Line { get; private set; }

    /// <summary>Stopwatch timestamp when the room took the line (the "cue").</summary>
    public long StartedTimestamp { get; private set; }

    /// <summary>48 kHz samples arrived and not yet played (a line synthesized ahead counts what it holds).</summary>
    public long Buffered
    {
        get
        {
            Pull();
            var total = -(long)_offsetInHead;
            foreach (var chunk in _pending) total += chunk.Length;
            return total;
        }
    }

    /// <summary>For a line synthesized ahead: the moment the room took it, from which cue-to-first-audio counts.</summary>
    public void Cue(long timestamp) => StartedTimestamp = timestamp;

    /// <summary>Samples of this line already placed on the room's timeline.</summary>
    public long Played { get; private set; }

    public bool HasStartedAudio => Played > 0;

    /// <summary>Synthesis ended (normally or not) and every sample has been played.</summary>
    public bool IsFinished => _speech.Chunks.Completion.IsCompleted && _pending.Count == 0;

    public bool Failed => _speech.Chunks.Completion.IsFaulted;

    public Exception? Failure => _speech.Chunks.Completion.Exception?.GetBaseException();

    public void MarkSpeaking(Line speaking) => Line = speaking;

    /// <summary>
    /// The line's whole length in samples, once synthesis (or the clip read) has ended and every chunk has arrived;
    /// false before.
    /// </summary>
    public bool TryGetTotalSamples(out long total)
    {
        Pull();
        total = 0;
        if (!_speech.Chunks.Completion.IsCompleted || _speech.Chunks.Completion.IsFaulted) return false;
        total = Played - _offsetInHead;
        foreach (var chunk in _pending) total += chunk.Length;
        return true;
    }

    /// <summary>Copies the next samples into <paramref name="destination"/>; returns how many were available.</summary>
    public int Read(Span<short> destination)
    {
        Pull();
        var written = 0;
        while (written < destination.Length && _pending.TryPeek(out var head))
        {
            var n = Math.Min(destination.Length - written, head.Length - _offsetInHead);
            head.AsSpan(_offsetInHead, n).CopyTo(destination[written..]);
            written += n;
            _offsetInHead += n;
            if (_offsetInHead == head.Length)
            {
                _pending.Dequeue();
                _offsetInHead = 0;
            }
        }
        Played += written;
        return written;
    }

    /// <summary>
    /// Copies the samples that will play next without consuming them (what has arrived from the synthesizer so far);
    /// returns how many were available. Audio-driven avatars look this far ahead to keep lips in sync.
    /// </summary>
    public int Peek(Span<short> destination)
    {
        Pull();
        var written = 0;
        var offset = _offsetInHead;
        foreach (var chunk in _pending)
        {
            if (written == destination.Length) break;
            var n = Math.Min(destination.Length - written, chunk.Length - offset);
            chunk.AsSpan(offset, n).CopyTo(destination[written..]);
            written += n;
            offset = 0;
        }
        return written;
    }

    /// <summary>The viseme sounding at <paramref name="sampleOffset"/> samples into the line.</summary>
    public Viseme VisemeAt(long sampleOffset)
    {
        // Offsets only move forward while a line plays, so a cursor keeps this O(1) per frame.
        while (_markCursor + 1 < _marks.Count && _marks[_markCursor + 1].SampleOffset <= sampleOffset) _markCursor++;
        if (_marks.Count == 0 || _marks[_markCursor].SampleOffset > sampleOffset) return Viseme.Silence;
        return _marks[_markCursor].Viseme;
    }

    public void Dispose() => _speech.Dispose();

    private void Pull()
    {
        while (_speech.Chunks.TryRead(out var chunk))
        {
            if (chunk.Samples.Length > 0) _pending.Enqueue(chunk.Samples);
            _marks.AddRange(chunk.Marks);
        }
    }
}
