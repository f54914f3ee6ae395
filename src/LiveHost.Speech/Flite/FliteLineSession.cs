using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LiveHost.Speech.Flite;

/// <summary>
/// Turns Flite's streaming callbacks for one line at a time into <see cref="SpeechChunk"/>s: resamples to 48 kHz,
/// cuts the utterance's leading pause down to a short pre-roll, and places the phonemes of the utterance's Segment
/// relation (name and end time, both known before the first callback) on the output timeline as marks. Owned by one
/// voice's worker thread and reused line after line.
/// </summary>
internal sealed unsafe class FliteLineSession : IDisposable
{
    private const int OutputRate = 48000;
    private const double PreRollSeconds = 0.02;
    private const double SentenceGapSeconds = 0.15;

    private readonly int _chunkSamples;
    private readonly List<PhonemeMark> _pendingMarks = new(128);
    private readonly List<short> _buffer = new(8192);
    private GCHandle _self;
    private Resampler? _resampler;
    private short[] _scratch = new short[8192];
    private SpeechStream? _stream;
    private long _trim;        // voice-rate samples cut from the start of the line
    private long _emitted;     // 48 kHz samples written to the stream
    private bool _started;
    private bool _ended;
    private double _gain = 1.0;
    private double _keepPauseSeconds;
    private long _utteranceStart;  // 48 kHz samples of the line before this utterance

    /// <param name="chunkMilliseconds">How much audio each chunk carries (the last may be shorter).</param>
    public FliteLineSession(int chunkMilliseconds)
    {
        _chunkSamples = OutputRate * chunkMilliseconds / 1000;
        _self = GCHandle.Alloc(this);
    }

    /// <summary>What the voice's streaming info passes back to <see cref="OnAudio"/> as userdata.</summary>
    public nint Handle => GCHandle.ToIntPtr(_self);

    public Exception? Failure { get; private set; }

    public bool Aborted { get; private set; }

    public long EmittedSamples => _emitted;

    public void Begin(SpeechStream stream, double gain)
    {
        _stream = stream;
        _gain = gain;
        _pendingMarks.Clear();
        _buffer.Clear();
        _emitted = 0;
        Failure = null;
        Aborted = false;
    }

    /// <summary>Before each flite_synth_text of the line (one per sentence); the first keeps the least leading pause.</summary>
    public void BeginUtterance(bool first)
    {
        _started = false;
        _ended = false;
        _trim = 0;
        _keepPauseSeconds = first ? PreRollSeconds : SentenceGapSeconds;
        _utteranceStart = _emitted + _buffer.Count;
    }

    /// <summary>After flite_synth_text returned: what a missing last callback left behind.</summary>
    public void EndUtterance()
    {
        if (_stream is not null && !_ended && !Aborted && Failure is null && _started) End();
    }

    public void Finish() => _stream = null;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int OnAudio(FliteNative.Wave* wave, int start, int size, int last, FliteNative.StreamingInfo* info)
    {
        if (info == null || info->UserData == 0) return FliteNative.StreamStop;
        if (GCHandle.FromIntPtr(info->UserData).Target is not FliteLineSession session) return FliteNative.StreamStop;
        try
        {
            return session.OnBuffer(wave, start, size, last != 0, info->Utterance);
        }
        catch (Exception ex)
        {
            // An exception must not unwind into C: remember it and stop this line.
            session.Failure = ex;
            return FliteNative.StreamStop;
        }
    }

    private int OnBuffer(FliteNative.Wave* wave, int start, int size, bool last, nint utterance)
    {
        var stream = _stream;
        if (stream is null || stream.IsCancelled)
        {
            Aborted = true;
            return FliteNative.StreamStop;
        }
        if (!_started)
        {
            _started = true;
            if (_resampler is null || _resampler.InputRate != wave->SampleRate) _resampler = new Resampler(wave->SampleRate, OutputRate);
            _resampler.Reset();
            ReadSegments(utterance, wave->SampleRate);
        }

        // Only the part of this buffer after the trimmed leading pause.
        var from = Math.Max(start, _trim);
        var to = start + (long)size;
        if (to > from)
        {
            var input = new ReadOnlySpan<short>(wave->Samples + from, (int)(to - from));
            EnsureScratch(_resampler!.MaxOutputLength(input.Length));
            var written = _resampler.Process(input, _scratch);
            Add(written);
        }
        if (last)
        {
            End();
            return FliteNative.StreamContinue;
        }
        if (_buffer.Count >= _chunkSamples && !Emit(takeAllMarks: false))
        {
            Aborted = true;
            return FliteNative.StreamStop;
        }
        return FliteNative.StreamContinue;
    }

    // Every segment's start (the previous one's end) as a mark; a leading pause is cut to PreRollSeconds.
    private void ReadSegments(nint utterance, int rate)
    {
        if (utterance == 0) return;
        nint relation;
        fixed (byte* name = "Segment"u8) relation = FliteNative.UtteranceRelation(utterance, name);
        if (relation == 0) return;
        var segments = new List<(string Name, double End)>();
        fixed (byte* nameFeature = "name"u8)
        fixed (byte* endFeature = "end"u8)
        {
            for (var item = FliteNative.RelationHead(relation); item != 0; item = FliteNative.ItemNext(item))
            {
                var phone = Marshal.PtrToStringUTF8((nint)FliteNative.ItemFeatString(item, nameFeature)) ?? "";
                segments.Add((phone, FliteNative.ItemFeatFloat(item, endFeature)));
            }
        }
        if (segments.Count > 0 && VisemeMap.MapCmu(segments[0].Name) == Viseme.Silence)
            _trim = Math.Max(0, (long)((segments[0].End - _keepPauseSeconds) * rate));

        var previousEnd = 0.0;
        var lastOffset = _utteranceStart;
        foreach (var (phone, end) in segments)
        {
            var startSample = Math.Max(0, (long)(previousEnd * rate) - _trim);
            var offset = Math.Max(lastOffset, _utteranceStart + startSample * OutputRate / rate);
            _pendingMarks.Add(new PhonemeMark(offset, phone, VisemeMap.MapCmu(phone)));
            lastOffset = offset;
            previousEnd = Math.Max(previousEnd, end);
        }
    }

    private void End()
    {
        _ended = true;
        EnsureScratch(_resampler!.MaxOutputLength(0));
        Add(_resampler.Flush(_scratch));
        var end = _emitted + _buffer.Count;
        if (end == 0) return;
        // Marks at or after the last sample (the final pause) are pinned to it, so every mark is inside the audio.
        for (var i = 0; i < _pendingMarks.Count; i++)
        {
            if (_pendingMarks[i].SampleOffset >= end) _pendingMarks[i] = _pendingMarks[i] with { SampleOffset = end - 1 };
        }
        Emit(takeAllMarks: true);
    }

    private bool Emit(bool takeAllMarks)
    {
        var end = _emitted + _buffer.Count;
        var take = 0;
        if (takeAllMarks) take = _pendingMarks.Count;
        else while (take < _pendingMarks.Count && _pendingMarks[take].SampleOffset < end) take++;
        if (_buffer.Count == 0 && take == 0) return true;
        var marks = take == 0 ? [] : _pendingMarks.GetRange(0, take).ToArray();
        _pendingMarks.RemoveRange(0, take);
        var samples = _buffer.ToArray();
        _buffer.Clear();
        _emitted = end;
        return _stream!.Writer.TryWrite(new SpeechChunk(samples, marks));
    }

    private void Add(int written)
    {
        for (var i = 0; i < written; i++) _buffer.Add((short)Math.Clamp(_scratch[i] * _gain, short.MinValue, short.MaxValue));
    }

    private void EnsureScratch(int length)
    {
        if (_scratch.Length < length) _scratch = new short[Math.Max(length, _scratch.Length * 2)];
    }

    public void Dispose()
    {
        if (_self.IsAllocated) _self.Free();
    }
}
