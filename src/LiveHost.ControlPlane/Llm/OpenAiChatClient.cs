using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane.Llm;

/// <summary>
/// An OpenAI-compatible <c>POST {BaseUrl}/chat/completions</c> with <c>stream: true</c>, read as it arrives
/// (<see cref="HttpCompletionOption.ResponseHeadersRead"/>): each server-sent event <c>data: {...}</c> yields
/// <c>choices[0].delta.content</c>; <c>data: [DONE]</c> ends the answer. A request that fails before its first token
/// (connection refused, an error status, no first token within <see cref="LlmOptions.FirstTokenTimeout"/>) is tried once
/// more; once tokens flowed, a failure ends the stream with <see cref="LlmUnavailableException"/> (what was yielded
/// stands). Failures feed a <see cref="CircuitBreaker"/>. The API key goes only into the Authorization header.
/// </summary>
public sealed class OpenAiChatClient : IDisposable
{
    private readonly LlmOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<OpenAiChatClient> logger;
    private readonly HttpClient _http;
    private readonly CircuitBreaker _breaker;

    public OpenAiChatClient(IOptions<LlmOptions> options, TimeProvider time, ILogger<OpenAiChatClient> logger)
    {
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        // The HttpClient owns its handler (disposeHandler: true) and Dispose disposes the client.
#pragma warning disable CA2000
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
#pragma warning restore CA2000
        _breaker = new CircuitBreaker(this.options.BreakAfterFailures, this.options.BreakFor, time);
    }

    public bool Enabled => options.Enabled;

    public async IAsyncEnumerable<string> StreamAsync(IReadOnlyList<ChatMessage> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!options.Enabled) throw new LlmUnavailableException("no chat server is configured (Llm:BaseUrl is empty)");
        if (!_breaker.TryEnter(out var retryAt))
            throw new LlmUnavailableException($"the chat server failed {options.BreakAfterFailures} times in a row; not asked again before {retryAt:O}");

        using var whole = new CancellationTokenSource(options.AnswerTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, whole.Token);
        Opened? opened = null;
        for (var attempt = 1; opened is null; attempt++)
        {
            try
            {
                opened = await OpenAsync(messages, linked.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException or LlmUnavailableException or JsonException
                && !cancellationToken.IsCancellationRequested)
            {
                LlmLog.AttemptFailed(logger, attempt, Describe(exception));
                if (attempt >= 2 || whole.IsCancellationRequested)
                {
                    _breaker.Failed();
                    throw new LlmUnavailableException($"the chat server did not answer: {Describe(exception)}", exception);
                }
            }
        }

        using var response = opened.Response;
        using var reader = opened.Reader;
        yield return opened.First;
        while (true)
        {
            string? token;
            try
            {
                token = await NextTokenAsync(reader, linked.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException or JsonException or LlmUnavailableException
                && !cancellationToken.IsCancellationRequested)
            {
                _breaker.Failed();
                throw new LlmUnavailableException($"the chat server's answer broke off: {Describe(exception)}", exception);
            }
            if (token is null) break;
            yield return token;
        }
        _breaker.Succeeded();
    }

    private async Task<Opened> OpenAsync(IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        using var first = new CancellationTokenSource(options.FirstTokenTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, first.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.BaseUrl.TrimEnd('/') + "/chat/completions")
        {
            Content = new StringContent(Body(messages), Encoding.UTF8, "application/json"),
        };
        if (options.ApiKey.Length > 0) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        try
        {
            if (!response.IsSuccessStatusCode) throw new LlmUnavailableException($"status {(int)response.StatusCode} {response.ReasonPhrase}");
            // Handed to the caller in Opened (which disposes it with the response), or disposed below on failure.
#pragma warning disable CA2000
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false), Encoding.UTF8);
#pragma warning restore CA2000
            try
            {
                var token = await NextTokenAsync(reader, linked.Token).ConfigureAwait(false)
                    ?? throw new LlmUnavailableException("the answer ended before its first token");
                return new Opened(response, reader, token);
            }
            catch
            {
                reader.Dispose();
                throw;
            }
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The next non-empty content of the stream; null at <c>data: [DONE]</c> or the stream's end.</summary>
    private static async Task<string?> NextTokenAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
            var data = line.AsSpan(5).Trim();
            if (data.SequenceEqual("[DONE]")) return null;
            using var json = JsonDocument.Parse(data.ToString());
            if (json.RootElement.TryGetProperty("error", out var error))
                throw new LlmUnavailableException("the server sent an error: " + (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.ToString() : error.ToString()));
            if (json.RootElement.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
                && choices[0].TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content)
                && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        return null;
    }

    private string Body(IReadOnlyList<ChatMessage> messages) => JsonSerializer.Serialize(new
    {
        model = options.Model,
        stream = true,
        max_tokens = options.MaxTokens,
        temperature = options.Temperature,
        messages = messages.Select(m => new { role = m.Role, content = m.Content }),
    });

    private static string Describe(Exception exception) => exception switch
    {
        OperationCanceledException => "timed out",
        _ => exception.Message,
    };

    public void Dispose() => _http.Dispose();

    private sealed record Opened(HttpResponseMessage Response, StreamReader Reader, string First);
}
