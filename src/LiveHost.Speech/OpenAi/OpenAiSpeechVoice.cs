using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace LiveHost.Speech.OpenAi;

/// <summary>
/// One configured voice of an OpenAI-compatible speech server: <c>POST {BaseUrl}/audio/speech</c> with
/// <c>response_format: pcm</c>, read as the body arrives (headers first, then each piece as the server sends it),
/// resampled from the server's rate to 48 kHz and written to the line's stream piece by piece.
/// </summary>
/// <remarks>
/// Each attempt must give its first byte of audio within FirstByteTimeout; the whole line must end within Timeout.
/// A failure before any audio (connection refused, 5xx, 408, 429, no first byte in time) is retried once; a 4xx
/// is not (the same request would fail the same way), and neither is a failure after audio was delivered (the
/// listener has heard part of the line; starting again would repeat it). Outcomes feed the server's circuit breaker.
/// </remarks>
public sealed partial class OpenAiSpeechVoice
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri _endpoint;
    private readonly string? _apiKey;

    public OpenAiSpeechVoice(string id, SpeechVoiceOptions options, HttpClient http, ProviderCircuitBreaker breaker, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Id = id;
        Options = options;
        Breaker = breaker;
        _http = http;
        _time = time;
        _logger = logger;
        _endpoint = new Uri(options.BaseUrl!.TrimEnd('/') + "/audio/speech");
        _apiKey = options.ResolveApiKey();
    }

    public string Id { get; }

    public SpeechVoiceOptions Options { get; }

    public ProviderCircuitBreaker Breaker { get; }

    /// <summary>Attempts retried after a failure before audio (for tests and metrics).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    private long _retries;

    /// <summary>Writes the line's audio to <paramref name="stream"/> (not completing it).</summary>
    /// <exception cref="SpeechServerException">The server did not give the line's audio.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the line is no longer wanted).</exception>
    public async Task SpeakAsync(SpeechStream stream, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!Breaker.TryEnter()) throw new SpeechServerException($"the circuit for {_endpoint.Authority} is open after repeated failures", afterAudio: false);
        using var overall = new CancellationTokenSource(Options.Timeout, _time);
        using var line = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, overall.Token);
        var delivered = 0L;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                delivered += await AttemptAsync(stream, text, line.Token, cancellationToken, overall.Token).ConfigureAwait(false);
                Breaker.Succeeded();
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (RetryableException e) when (attempt == 1 && !overall.IsCancellationRequested)
            {
                Interlocked.Increment(ref _retries);
                LogRetry(Id, e.Message);
            }
            catch (RetryableException e)
            {
                Breaker.Failed();
                throw new SpeechServerException(e.Message, afterAudio: false, e.InnerException);
            }
            catch (SpeechServerException)
            {
                Breaker.Failed();
                throw;
            }
        }
    }

    // Returns the 48 kHz samples written. Throws RetryableException for a failure before audio worth another try.
    private async Task<long> AttemptAsync(SpeechStream stream, string text, CancellationToken line, CancellationToken consumer, CancellationToken overall)
    {
        using var firstByte = new CancellationTokenSource(Options.FirstByteTimeout, _time);
        using var untilFirstByte = CancellationTokenSource.CreateLinkedTokenSource(line, firstByte.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = JsonContent.Create(new SpeechBody(Options.Model, text, Options.Voice, "pcm"), SpeechJson.Default.SpeechBody),
        };
        if (!string.IsNullOrEmpty(_apiKey)) request.Headers.Authorization = new("Bearer", _apiKey);

        var resampler = new Resampler(Options.SampleRate, EspeakSynthesizer.OutputSampleRate);
        var buffer = new byte[8192];
        var pcm = new short[buffer.Length / 2 + 1];
        var output = new short[resampler.MaxOutputLength(pcm.Length)];
        var written = 0L;
        var carry = -1; // a byte left over from an odd-length read
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, untilFirstByte.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                var message = $"{_endpoint} answered HTTP {status} {response.ReasonPhrase}";
                if (status >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout) throw new RetryableException(message, null);
                throw new SpeechServerException(message, afterAudio: false);
            }
            using var body = await response.Content.ReadAsStreamAsync(untilFirstByte.Token).ConfigureAwait(false);
            var token = untilFirstByte.Token;
            while (true)
            {
                var n = await body.ReadAsync(buffer, token).ConfigureAwait(false);
                if (n == 0) break;
                // From the first byte on, only the line's own limit applies.
                token = line;
                var samples = 0;
                var i = 0;
                if (carry >= 0)
                {
                    pcm[samples++] = (short)(carry | (buffer[0] << 8));
                    i = 1;
                    carry = -1;
                }
                for (; i + 1 < n; i += 2) pcm[samples++] = (short)(buffer[i] | (buffer[i + 1] << 8));
                if (i < n) carry = buffer[i];
                var produced = resampler.Process(pcm.AsSpan(0, samples), output);
                written += Write(stream, output, produced);
            }
            if (written == 0 && resampler.InputCount == 0) throw new RetryableException($"{_endpoint} sent no audio", null);
            written += Write(stream, output, resampler.Flush(output));
            return written;
        }
        catch (OperationCanceledException) when (consumer.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e) when (overall.IsCancellationRequested)
        {
            throw new SpeechServerException($"{_endpoint} did not finish the line within {Options.Timeout.TotalSeconds:0.#} s", written > 0, e);
        }
        catch (OperationCanceledException e) when (firstByte.IsCancellationRequested && written == 0)
        {
            throw new RetryableException($"{_endpoint} sent no audio within {Options.FirstByteTimeout.TotalMilliseconds:0} ms", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            if (written > 0 || resampler.InputCount > 0)
                throw new SpeechServerException($"{_endpoint} broke off the line after {written / 48} ms of audio: {e.Message}", afterAudio: true, e);
            throw new RetryableException($"{_endpoint} failed: {e.Message}", e);
        }
    }

    private static long Write(SpeechStream stream, short[] output, int count)
    {
        if (count == 0) return 0;
        stream.Writer.TryWrite(new SpeechChunk(output.AsSpan(0, count).ToArray(), []));
        return count;
    }

    private sealed class RetryableException(string message, Exception? inner) : Exception(message, inner);

    internal sealed record SpeechBody(
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("input")] string Input,
        [property: JsonPropertyName("voice")] string Voice,
        [property: JsonPropertyName("response_format")] string ResponseFormat);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Speech server voice {Voice}: {Reason}; trying once more")]
    private partial void LogRetry(string voice, string reason);
}

[JsonSerializable(typeof(OpenAiSpeechVoice.SpeechBody))]
internal sealed partial class SpeechJson : JsonSerializerContext;
