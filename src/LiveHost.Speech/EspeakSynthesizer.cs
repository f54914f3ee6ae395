using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using LiveHost.Speech.Espeak;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveHost.Speech;

/// <summary>
/// Text to speech through espeak-ng's C library (libespeak-ng.so.1), streamed in ~60 ms pieces at 48 kHz with
/// phoneme marks.
/// </summary>
/// <remarks>
/// espeak-ng is process-global and not thread-safe, so one dedicated thread per synthesizer serves the lines in
/// the order <see cref="Start"/> queued them, and holds a process-wide gate while it touches the library (see
/// <c>EspeakProcess</c>): two synthesizers in one process take turns. The library runs in synchronous mode: it
/// synthesizes inside espeak_Synth and hands each buffer to a callback, which resamples it and writes it to the
/// line's stream at once, and returns "abort" when the line was cancelled.
/// </remarks>
public sealed class EspeakSynthesizer : ISpeechSynthesizer, IDisposable
{
    /// <summary>The sample rate of the chunks.</summary>
    public const int OutputSampleRate = 48000;

    private readonly BlockingCollection<SpeechStream> _queue = [];
    private readonly SpeechOptions _options;
    private readonly VoiceCatalog _catalog;
    private readonly ILogger<EspeakSynthesizer> _logger;
    private readonly EspeakLineSession _session;
    private readonly Thread _thread;
    private volatile bool _disposed;
    private int _disposeStarted;

    public EspeakSynthesizer(IOptions<SpeechOptions> options, ILogger<EspeakSynthesizer> logger)
        : this(options, VoiceCatalog.CreateDefault(), logger)
    {
    }

    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="SpeechEngineUnavailableException">libespeak-ng.so.1 or its data cannot be loaded.</exception>
    public EspeakSynthesizer(IOptions<SpeechOptions> options, VoiceCatalog catalog, ILogger<EspeakSynthesizer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        // A private copy: espeak is set up from these values and must not see them change underneath.
        var configured = options.Value;
        _options = new SpeechOptions
        {
            RateWordsPerMinute = configured.RateWordsPerMinute,
            Pitch = configured.Pitch,
            PitchRange = configured.PitchRange,
            Volume = configured.Volume,
            DataPath = configured.DataPath,
            BufferMilliseconds = configured.BufferMilliseconds,
        };
        var errors = _options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors), nameof(options));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));

        EngineSampleRate = EspeakProcess.EnsureInitialized(_options.DataPath, _options.BufferMilliseconds, out var dataPath);
        if (!string.Equals(dataPath, _options.DataPath, StringComparison.Ordinal) && _options.DataPath is not null)
            EspeakSynthesizerLog.DataPathIgnored(_logger, dataPath ?? "(built-in)", _options.DataPath);
        EspeakSynthesizerLog.Ready(_logger, EngineSampleRate, dataPath ?? "(built-in)", _options.RateWordsPerMinute);

        _session = new EspeakLineSession(EngineSampleRate, OutputSampleRate, () => _disposed);
        _thread = new Thread(Serve) { IsBackground = true, Name = "espeak-ng" };
        _thread.Start();
    }

    /// <summary>The rate espeak-ng synthesizes at (22050 Hz), before resampling to <see cref="OutputSampleRate"/>.</summary>
    public int EngineSampleRate { get; }

    public IReadOnlyList<VoiceInfo> Voices => _catalog.Voices;

    public bool TryResolveVoice(string language, string? voiceId, out VoiceInfo voice) =>
        _catalog.TryResolve(language, voiceId, out voice);

    /// <exception cref="ArgumentException">The request's language or voice is unknown.</exception>
    public SpeechStream Start(SpeechRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!TryResolveVoice(request.Language, request.Voice, out var voice))
        {
            throw new ArgumentException(
                $"No voice '{request.Voice ?? "(default)"}' for language '{request.Language}'. Voices: " +
                string.Join(", ", _catalog.Voices.Select(v => $"{v.Language}/{v.Id}")), nameof(request));
        }
        var stream = new SpeechStream(request, voice);
        try
        {
            _queue.Add(stream);
        }
        catch (InvalidOperationException)
        {
            stream.Dispose();
            throw new ObjectDisposedException(nameof(EspeakSynthesizer));
        }
        return stream;
    }

    private void Serve() => SynthesisQueue.Serve(_queue, () => _disposed, nameof(EspeakSynthesizer), Synthesize);

    private unsafe void Synthesize(SpeechStream stream)
    {
        var text = EspeakText.WithoutControls(stream.Request.Text ?? string.Empty);
        var length = Encoding.UTF8.GetByteCount(text);
        var utf8 = ArrayPool<byte>.Shared.Rent(length + 1);
        try
        {
            Encoding.UTF8.GetBytes(text, utf8);
            utf8[length] = 0;
            _session.Begin(stream);
            int rc;
            lock (EspeakProcess.Gate)
            {
                EspeakProcess.Prepare(stream.Voice.EngineVoice, _options);
                fixed (byte* p = utf8)
                {
                    // No espeakENDPAUSE: the line ends where its speech ends; pauses between lines are the caller's.
                    // No espeakSSML or espeakPHONEMES: text is read as text, whatever brackets it contains; with no
                    // control characters in it, no embedded command (Ctrl-A) or phoneme mode (Ctrl-B) either.
                    rc = EspeakNative.Synth(p, (nuint)(length + 1), 0, EspeakNative.PositionCharacter, 0,
                        EspeakNative.CharsUtf8, null, (void*)_session.Handle);
                }
            }
            if (_session.Failure is not null) throw new InvalidOperationException("Handling espeak-ng's audio failed.", _session.Failure);
            if (rc != EspeakNative.Ok && !_session.Aborted) throw new InvalidOperationException($"espeak_Synth returned {rc}.");
            _session.Finish();
            EspeakSynthesizerLog.LineDone(_logger, stream.Voice.Id, _session.EmittedSamples, _session.Aborted ? "stopped early" : "complete");
            stream.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            EspeakSynthesizerLog.LineFailed(_logger, ex, stream.Request.Language, stream.Voice.Id);
            stream.Writer.TryComplete(ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>Stops the line being spoken, fails the queued ones with <see cref="ObjectDisposedException"/>, and ends the thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0) return;
        _disposed = true;
        _queue.CompleteAdding();
        if (Thread.CurrentThread != _thread) _thread.Join();
        _session.Dispose();
        _queue.Dispose();
    }
}
