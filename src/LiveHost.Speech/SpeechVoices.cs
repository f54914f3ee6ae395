using LiveHost.Speech.Flite;
using LiveHost.Speech.OpenAi;
using Microsoft.Extensions.Logging;

namespace LiveHost.Speech;

/// <summary>
/// Every voice of the process behind one <see cref="ISpeechSynthesizer"/>: espeak-ng's (en-us, en-gb, en-us-f, cmn,
/// cmn-f), Flite's (flite-slt, flite-awb, flite-rms, flite-kal) and the speech servers' configured under
/// <c>Speech:Voices</c>. Each language's default is <see cref="SpeechOptions.DefaultVoices"/>. A line is handed to the
/// synthesizer that owns its voice; a server's line runs on the thread pool, and when the server fails before any
/// audio it is spoken by the local fallback voice (with a warning and <see cref="ProviderFailure"/>) or finishes
/// failed, as the voice's OnFailure says.
/// </summary>
public sealed partial class SpeechVoices : ISpeechSynthesizer, IDisposable
{
    private readonly ISpeechSynthesizer _espeak;
    private readonly ISpeechSynthesizer _flite;
    private readonly Dictionary<string, OpenAiSpeechVoice> _remote = new(StringComparer.OrdinalIgnoreCase);
    private readonly VoiceCatalog _catalog;
    private readonly SpeechOptions _options;
    private readonly ILogger<SpeechVoices> _logger;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <param name="espeak">espeak-ng's voices (not owned).</param>
    /// <param name="flite">Flite's voices (not owned).</param>
    /// <param name="http">For the speech servers; null: one of its own, without a client-wide timeout (each voice has its own).</param>
    /// <exception cref="ArgumentException">The options are invalid (the messages name the settings).</exception>
    public SpeechVoices(SpeechOptions options, ISpeechSynthesizer espeak, ISpeechSynthesizer flite, TimeProvider time, ILoggerFactory loggers, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors), nameof(options));
        _options = options;
        _espeak = espeak;
        _flite = flite;
        _logger = loggers.CreateLogger<SpeechVoices>();
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };

        var breakers = new Dictionary<string, ProviderCircuitBreaker>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, voice) in options.Voices)
        {
            var server = new Uri(voice.BaseUrl!).GetLeftPart(UriPartial.Path).TrimEnd('/');
            if (!breakers.TryGetValue(server, out var breaker))
                breakers[server] = breaker = new ProviderCircuitBreaker(voice.BreakAfterFailures, voice.BreakFor, time);
            _remote[name] = new OpenAiSpeechVoice(name, voice, _http, breaker, time, loggers.CreateLogger<OpenAiSpeechVoice>());
        }

        var all = espeak.Voices.Concat(flite.Voices)
            .Concat(options.Voices.Select(pair => new VoiceInfo(pair.Key, pair.Value.Language.ToLowerInvariant(), pair.Value.Voice, false) { HasPhonemeTimings = false }));
        _catalog = new VoiceCatalog(all.Select(v => v with { IsDefault = IsDefault(v) }));
        LogReady(string.Join(", ", _catalog.Voices.Where(v => v.IsDefault).Select(v => $"{v.Language}={v.Id}")), _remote.Count);
    }

    /// <summary>Every built-in (local) voice: espeak-ng's and Flite's. Configured voices may not reuse these names.</summary>
    public static IReadOnlyList<VoiceInfo> BuiltInVoices { get; } =
        [.. VoiceCatalog.CreateDefault().Voices, .. FliteVoice.All.Select(v => new VoiceInfo(v.Id, "en", v.Register, false))];

    /// <summary>Raised (on the thread pool) when a server's line fell back to a local voice ("fallback") or failed ("failed"), with the voice id.</summary>
    public event Action<string, string>? ProviderFailure;

    public IReadOnlyList<VoiceInfo> Voices => _catalog.Voices;

    /// <summary>The configured server voice <paramref name="id"/> (its circuit breaker, its retries), or null.</summary>
    public OpenAiSpeechVoice? Remote(string id) => _remote.GetValueOrDefault(id);

    public bool TryResolveVoice(string language, string? voiceId, out VoiceInfo voice) => _catalog.TryResolve(language, voiceId, out voice);

    /// <exception cref="ArgumentException">The request's language or voice is unknown.</exception>
    public SpeechStream Start(SpeechRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!TryResolveVoice(request.Language, request.Voice, out var voice))
        {
            throw new ArgumentException($"No voice '{request.Voice ?? "(default)"}' for language '{request.Language}'. Voices: " +
                string.Join(", ", _catalog.Voices.Select(v => $"{v.Language}/{v.Id}")), nameof(request));
        }
        var resolved = request with { Voice = voice.Id };
        if (_remote.TryGetValue(voice.Id, out var remote))
        {
            var stream = new SpeechStream(resolved, voice);
            _ = Task.Run(() => SpeakRemoteAsync(stream, remote));
            return stream;
        }
        return Local(voice.Id).Start(resolved);
    }

    private ISpeechSynthesizer Local(string id) => _flite.TryResolveVoice("en", id, out _) ? _flite : _espeak;

    private bool IsDefault(VoiceInfo voice) =>
        _options.DefaultVoices.TryGetValue(voice.Language, out var id)
            ? string.Equals(id, voice.Id, StringComparison.OrdinalIgnoreCase)
            : voice.IsDefault;

    private async Task SpeakRemoteAsync(SpeechStream stream, OpenAiSpeechVoice remote)
    {
        CancellationToken token;
        try
        {
            token = stream.CancellationToken;
        }
        catch (ObjectDisposedException)
        {
            return; // disposed before it started
        }
        try
        {
            await remote.SpeakAsync(stream, stream.Request.Text, token).ConfigureAwait(false);
            stream.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            stream.Writer.TryComplete();
        }
        catch (SpeechServerException e) when (!e.AfterAudio && remote.Options.FallsBack)
        {
            var fallback = FallbackVoice(remote.Options);
            LogFellBack(remote.Id, e.Message, fallback);
            ProviderFailure?.Invoke(remote.Id, "fallback");
            await ForwardAsync(_catalog.Voices.First(v => v.Id == fallback), stream, token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogFailed(remote.Id, e.Message);
            ProviderFailure?.Invoke(remote.Id, "failed");
            stream.Writer.TryComplete(e);
        }
    }

    // The configured FallbackVoice, else the language's default when that is local, else the language's first local voice.
    private string FallbackVoice(SpeechVoiceOptions options)
    {
        if (!string.IsNullOrEmpty(options.FallbackVoice)) return _catalog.Voices.First(v => string.Equals(v.Id, options.FallbackVoice, StringComparison.OrdinalIgnoreCase)).Id;
        var local = _catalog.Voices.Where(v => !_remote.ContainsKey(v.Id) && string.Equals(v.Language, options.Language, StringComparison.OrdinalIgnoreCase)).ToList();
        return (local.FirstOrDefault(v => v.IsDefault) ?? local.FirstOrDefault(v => v.Id.StartsWith("flite-", StringComparison.Ordinal)) ?? local[0]).Id;
    }

    private async Task ForwardAsync(VoiceInfo fallback, SpeechStream stream, CancellationToken token)
    {
        using var local = Local(fallback.Id).Start(stream.Request with { Voice = fallback.Id });
        try
        {
            await foreach (var chunk in local.Chunks.ReadAllAsync(token).ConfigureAwait(false))
            {
                if (!stream.Writer.TryWrite(chunk)) return;
            }
            stream.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            stream.Writer.TryComplete();
        }
        catch (Exception e)
        {
            stream.Writer.TryComplete(e);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Voices ready: defaults {Defaults}; {Servers} speech server voices")]
    private partial void LogReady(string defaults, int servers);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Speech server voice {Voice} failed ({Reason}); the line is spoken by {Fallback}")]
    private partial void LogFellBack(string voice, string reason, string fallback);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Speech server voice {Voice} failed the line: {Reason}")]
    private partial void LogFailed(string voice, string reason);
}
