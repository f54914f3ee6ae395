using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace LiveHost.Speech.Espeak;

/// <summary>
/// Turns espeak-ng's callbacks for one line at a time into <see cref="SpeechChunk"/>s: resamples to 48 kHz, trims
/// leading silence, places phoneme marks on the output timeline and writes to the line's stream. Owned by the
/// synthesizer's thread and reused line after line, so its buffers are allocated once.
/// </summary>
internal sealed unsafe class EspeakLineSession : IDisposable
{
    // Below this (about -40 dBFS) a sample counts as silence when trimming the start of a line.
    private const int SilenceThreshold = 330;

    private readonly Resampler _resampler;
    private readonly Func<bool> _shouldStop;
    private readonly int _preRollSamples;   // silence kept before the first audible sample, at the engine rate
    private readonly short[] _held;         // the latest leading silence, up to _preRollSamples
    private readonly List<PhonemeMark> _pendingMarks = new(64);
    private readonly Dictionary<ulong, (string Name, Viseme Viseme)> _phonemes = [];
    private GCHandle _self;
    private short[] _scratch = new short[8192];

    private SpeechStream? _stream;
    private int _heldCount;
    private bool _leading;
    private long _dropped;        // engine-rate samples cut from the start of the line
    private long _emitted;        // 48 kHz samples written to the stream
    private long _lastMarkOffset;

    public EspeakLineSession(int engineSampleRate, int outputSampleRate, Func<bool> shouldStop)
    {
        _resampler = new Resampler(engineSampleRate, outputSampleRate);
        _shouldStop = shouldStop;
        _preRollSamples = engineSampleRate / 100;
        _held = new short[_preRollSamples];
        _self = GCHandle.Alloc(this);
    }

    /// <summary>What espeak_Synth passes back to <see cref="OnSynth"/> as user_data.</summary>
    public nint Handle => GCHandle.ToIntPtr(_self);

    /// <summary>The failure of the current line that happened inside a callback, rethrown by the synthesizer.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>True when the line stopped early because its consumer cancelled it or the synthesizer shut down.</summary>
    public bool Aborted { get; private set; }

    public long EmittedSamples => _emitted;

    public void Begin(SpeechStream stream)
    {
        _stream = stream;
        _resampler.Reset();
        _pendingMarks.Clear();
        _heldCount = 0;
        _leading = true;
        _dropped = 0;
        _emitted = 0;
        _lastMarkOffset = 0;
        Failure = null;
        Aborted = false;
    }

    /// <summary>After espeak_Synth returned: writes the resampler's tail and the marks still waiting.</summary>
    public void Finish()
    {
        if (_stream is null || Aborted || Failure is not null) return;
        EnsureScratch(_resampler.MaxOutputLength(0));
        var written = _leading ? 0 : _resampler.Flush(_scratch);
        var end = _emitted + written;
        if (end > 0)
        {
            // Marks at or after the last sample (the final pause) are pinned to it so every mark is inside the audio.
            for (var i = 0; i < _pendingMarks.Count; i++)
            {
                var mark = _pendingMarks[i];
                if (mark.SampleOffset >= end) _pendingMarks[i] = mark with { SampleOffset = end - 1 };
            }
            Emit(written, takeAllMarks: true);
        }
        _stream = null;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int OnSynth(short* wav, int sampleCount, EspeakEvent* events)
    {
        // Every event, the list terminator included, carries the user_data given to espeak_Synth.
        if (events == null || events->UserData == 0) return EspeakNative.AbortSynthesis;
        if (GCHandle.FromIntPtr(events->UserData).Target is not EspeakLineSession session) return EspeakNative.AbortSynthesis;
        try
        {
            return session.OnBuffer(wav, sampleCount, events);
        }
        catch (Exception ex)
        {
            // An exception must not unwind into C: remember it and stop this line.
            session.Failure = ex;
            return EspeakNative.AbortSynthesis;
        }
    }

    private int OnBuffer(short* wav, int sampleCount, EspeakEvent* events)
    {
        var stream = _stream;
        if (stream is null) return EspeakNative.AbortSynthesis;
        if (stream.IsCancelled || _shouldStop())
        {
            Aborted = true;
            return EspeakNative.AbortSynthesis;
        }

        for (var e = events; e->Type != EspeakNative.EventListTerminated; e++)
        {
            if (e->Type == EspeakNative.EventPhoneme) AddMark(e);
        }

        if (wav == null || sampleCount <= 0) return EspeakNative.ContinueSynthesis;
        var written = Resample(new ReadOnlySpan<short>(wav, sampleCount));
        if (written > 0 && !Emit(written, takeAllMarks: false))
        {
            // The consumer disposed the stream.
            Aborted = true;
            return EspeakNative.AbortSynthesis;
        }
        return EspeakNative.ContinueSynthesis;
    }

    private void AddMark(EspeakEvent* e)
    {
        var key = e->IdBits;
        if (!_phonemes.TryGetValue(key, out var phoneme))
        {
            var id = new ReadOnlySpan<byte>(e->Id, 8);
            var end = id.IndexOf((byte)0);
            var name = Encoding.UTF8.GetString(end < 0 ? id : id[..end]);
            phoneme = (name, VisemeMap.Map(name));
            _phonemes[key] = phoneme;
        }
        var offset = _resampler.ToOutputOffset(Math.Max(0, e->Sample - _dropped));
        // Keep marks in order even if espeak reports a phoneme a sample early.
        offset = Math.Max(offset, _lastMarkOffset);
        _lastMarkOffset = offset;
        _pendingMarks.Add(new PhonemeMark(offset, phoneme.Name, phoneme.Viseme));
    }

    /// <summary>Feeds the resampler, cutting silence at the start of the line down to a short pre-roll.</summary>
    private int Resample(ReadOnlySpan<short> wav)
    {
        if (!_leading)
        {
            EnsureScratch(_resampler.MaxOutputLength(wav.Length));
            return _resampler.Process(wav, _scratch);
        }

        var firstAudible = -1;
        for (var i = 0; i < wav.Length; i++)
        {
            if (Math.Abs((int)wav[i]) >= SilenceThreshold)
            {
                firstAudible = i;
                break;
            }
        }

        if (firstAudible < 0)
        {
            HoldSilence(wav);
            return 0;
        }

        var startInWav = Math.Max(0, firstAudible - _preRollSamples);
        var fromHeld = Math.Min(_heldCount, _preRollSamples - (firstAudible - startInWav));
        _dropped += _heldCount - fromHeld + startInWav;
        _leading = false;

        EnsureScratch(_resampler.MaxOutputLength(fromHeld + wav.Length - startInWav));
        var written = _resampler.Process(_held.AsSpan(_heldCount - fromHeld, fromHeld), _scratch);
        written += _resampler.Process(wav[startInWav..], _scratch.AsSpan(written));
        _heldCount = 0;
        return written;
    }

    private void HoldSilence(ReadOnlySpan<short> wav)
    {
        if (wav.Length >= _preRollSamples)
        {
            _dropped += _heldCount + wav.Length - _preRollSamples;
            wav[^_preRollSamples..].CopyTo(_held);
            _heldCount = _preRollSamples;
            return;
        }
        var excess = Math.Max(0, _heldCount + wav.Length - _preRollSamples);
        if (excess > 0)
        {
            _held.AsSpan(excess, _heldCount - excess).CopyTo(_held);
            _heldCount -= excess;
            _dropped += excess;
        }
        wav.CopyTo(_held.AsSpan(_heldCount));
        _heldCount += wav.Length;
    }

    private bool Emit(int written, bool takeAllMarks)
    {
        var end = _emitted + written;
        var take = 0;
        if (takeAllMarks) take = _pendingMarks.Count;
        else while (take < _pendingMarks.Count && _pendingMarks[take].SampleOffset < end) take++;

        PhonemeMark[] marks = [];
        if (take > 0)
        {
            marks = new PhonemeMark[take];
            _pendingMarks.CopyTo(0, marks, 0, take);
            _pendingMarks.RemoveRange(0, take);
        }
        if (written == 0 && take == 0) return true;
        _emitted = end;
        return _stream!.Writer.TryWrite(new SpeechChunk(_scratch.AsSpan(0, written).ToArray(), marks));
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
