using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Media;
using LiveHost.Speech;

namespace LiveHost.Engine.Playback;

/// <summary>
/// Lines ready before their turn: the room's next queued lines are synthesized ahead, so a queued line starts with
/// no synthesis wait however slow its voice. Bounded three ways (EngineOptions): at most SpeakAheadLines lines, no
/// new one once SpeakAheadSeconds of audio is waiting, and past SpeakAheadMegabytes the line furthest ahead is
/// dropped (it is synthesized again when its turn comes). A line that leaves the first SpeakAheadLines (removed,
/// cleared, moved back) has its synthesis stopped and its audio freed. Only the room's engine loop touches it; it
/// starts syntheses (which return at once) and never waits for one.
/// </summary>
public sealed class SpeechAhead : IDisposable
{
    private readonly ISpeechSynthesizer _speech;
    private readonly int _lines;
    private readonly long _maxSamples;
    private readonly long _maxBytes;
    private readonly Dictionary<string, LinePlayback> _ready = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly List<Line> _wanted = [];
    // Dropped for the memory cap: not synthesized ahead again (each would be, and be dropped, every refresh).
    private readonly HashSet<string> _overCap = new(StringComparer.Ordinal);

    public SpeechAhead(ISpeechSynthesizer speech, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _speech = speech;
        _lines = options.SpeakAheadLines;
        _maxSamples = (long)(options.SpeakAheadSeconds * MediaFormat.AudioSampleRate);
        _maxBytes = options.SpeakAheadMegabytes * 1024L * 1024L;
    }

    /// <summary>Lines being (or done being) synthesized ahead.</summary>
    public int Count => _ready.Count;

    /// <summary>48 kHz samples waiting in lines synthesized ahead (what has arrived so far).</summary>
    public long BufferedSamples { get; private set; }

    /// <summary>Lines dropped for the memory cap, lines whose audio was freed because they left the queue's head.</summary>
    public long DroppedForMemory { get; private set; }

    public long Freed { get; private set; }

    /// <summary>After a queue change: which lines should be ahead, <paramref name="queued"/> in speaking order; stops and frees the others.</summary>
    public void Refresh(IReadOnlyList<Line> queued)
    {
        ArgumentNullException.ThrowIfNull(queued);
        _wanted.Clear();
        foreach (var line in queued)
        {
            if (_wanted.Count == _lines) break;
            if (line.Kind == LineKind.Text) _wanted.Add(line);
        }
        // Lines no longer among the next ones (removed, cleared, moved back, edited): stop and free them.
        for (var i = _order.Count - 1; i >= 0; i--)
        {
            var id = _order[i];
            if (_wanted.Any(l => l.Id == id && Same(l, _ready[id].Line))) continue;
            Drop(i);
            Freed++;
        }
        _overCap.RemoveWhere(id => !_wanted.Any(l => l.Id == id));
        // In speaking order (lines adopted from outside the loop arrive in any order): the memory cap drops the last.
        _order.Sort((x, y) => _wanted.FindIndex(l => l.Id == x).CompareTo(_wanted.FindIndex(l => l.Id == y)));
    }

    /// <summary>Every tick: counts the audio waiting, starts the wanted lines the bounds allow, enforces the memory cap.</summary>
    public void Balance(long timestamp)
    {
        long buffered = 0;
        foreach (var playback in _ready.Values) buffered += playback.Buffered;
        foreach (var line in _wanted)
        {
            if (_ready.ContainsKey(line.Id) || _overCap.Contains(line.Id)) continue;
            if (buffered >= _maxSamples || buffered * 2 >= _maxBytes) break;
            if (!_speech.TryResolveVoice(line.Language, line.Voice, out var voice)) continue;
            _ready[line.Id] = new LinePlayback(line, _speech.Start(new SpeechRequest(line.Text, line.Language, voice.Id)), timestamp);
            _order.Add(line.Id);
        }
        // The memory cap: 2 bytes a sample; the line furthest ahead goes first.
        while (_order.Count > 0 && buffered * 2 > _maxBytes)
        {
            buffered -= _ready[_order[^1]].Buffered;
            _overCap.Add(_order[^1]);
            Drop(_order.Count - 1);
            DroppedForMemory++;
        }
        BufferedSamples = buffered;
    }

    /// <summary>
    /// Takes over a line whose synthesis was started outside the loop (<see cref="Rooms.RoomEngine.Prepare"/>). It is
    /// kept only while the line is among the next ones (the next <see cref="Refresh"/> frees it otherwise, and puts the
    /// lines ahead in speaking order); a line already being synthesized keeps its first synthesis.
    /// </summary>
    public void Adopt(LinePlayback playback)
    {
        ArgumentNullException.ThrowIfNull(playback);
        if (!_ready.TryAdd(playback.Line.Id, playback))
        {
            playback.Dispose();
            return;
        }
        _order.Add(playback.Line.Id);
    }

    /// <summary>The line's playback synthesized ahead, handed over (the caller owns it now); false when there is none.</summary>
    public bool TryTake(Line line, out LinePlayback playback)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (_ready.Remove(line.Id, out playback!))
        {
            _order.Remove(line.Id);
            _wanted.RemoveAll(l => l.Id == line.Id);
            if (Same(line, playback.Line)) return true;
            playback.Dispose();
            Freed++;
        }
        playback = null!;
        return false;
    }

    private static bool Same(Line a, Line b) =>
        a.Text == b.Text && string.Equals(a.Language, b.Language, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Voice, b.Voice, StringComparison.OrdinalIgnoreCase);

    private void Drop(int index)
    {
        var id = _order[index];
        _order.RemoveAt(index);
        if (_ready.Remove(id, out var playback)) playback.Dispose();
    }

    public void Dispose()
    {
        foreach (var playback in _ready.Values) playback.Dispose();
        _ready.Clear();
        _order.Clear();
        _overCap.Clear();
    }
}
