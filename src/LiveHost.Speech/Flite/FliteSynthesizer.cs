using LiveHost.Speech.Flite;
using Microsoft.Extensions.Logging;

namespace LiveHost.Speech;

/// <summary>
/// English text to speech through Flite's C library (Debian's libflite1), in process: the CMU voices slt, awb, rms
/// and kal as <c>flite-slt</c> ... <c>flite-kal</c>. Flite hands audio to a streaming callback while it synthesizes,
/// so a line's first chunk is out long before its end; the phonemes come from the utterance's Segment relation.
/// </summary>
/// <remarks>
/// Each voice has its own thread (see <c>FliteVoiceWorker</c>): lines of one voice are synthesized in the order
/// <see cref="Start"/> queued them; lines of different voices may be synthesized at once.
/// </remarks>
public sealed class FliteSynthesizer : ISpeechSynthesizer, IDisposable
{
    /// <summary>Length of a chunk (the last of a line may be shorter).</summary>
    public const int ChunkMilliseconds = 60;

    private readonly Dictionary<string, FliteVoiceWorker> _workers = new(StringComparer.OrdinalIgnoreCase);
    private readonly VoiceCatalog _catalog;
    private int _disposed;

    /// <param name="defaultVoice">The English default among the Flite voices (for a catalog of Flite alone).</param>
    /// <exception cref="SpeechEngineUnavailableException">libflite1 or a voice library cannot be loaded.</exception>
    public FliteSynthesizer(ILogger<FliteSynthesizer> logger, string defaultVoice = "flite-slt")
    {
        ArgumentNullException.ThrowIfNull(logger);
        try
        {
            foreach (var voice in FliteVoice.All) _workers[voice.Id] = new FliteVoiceWorker(voice, ChunkMilliseconds, logger);
        }
        catch
        {
            foreach (var worker in _workers.Values) worker.Dispose();
            throw;
        }
        _catalog = new VoiceCatalog(FliteVoice.All.Select(v => new VoiceInfo(v.Id, "en", v.Register,
            string.Equals(v.Id, defaultVoice, StringComparison.OrdinalIgnoreCase)) ));
        FliteSynthesizerLog.Ready(logger, string.Join(", ", _workers.Keys));
    }

    public IReadOnlyList<VoiceInfo> Voices => _catalog.Voices;

    public bool TryResolveVoice(string language, string? voiceId, out VoiceInfo voice) => _catalog.TryResolve(language, voiceId, out voice);

    /// <exception cref="ArgumentException">The request's language or voice is not a Flite voice.</exception>
    public SpeechStream Start(SpeechRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!TryResolveVoice(request.Language, request.Voice, out var voice))
            throw new ArgumentException($"No Flite voice '{request.Voice ?? "(default)"}' for language '{request.Language}'.", nameof(request));
        var stream = new SpeechStream(request, voice);
        try
        {
            _workers[voice.Id].Enqueue(stream);
        }
        catch (ObjectDisposedException)
        {
            stream.Dispose();
            throw;
        }
        return stream;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (var worker in _workers.Values) worker.Dispose();
    }
}
