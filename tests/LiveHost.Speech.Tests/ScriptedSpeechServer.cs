using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveHost.Speech.Tests;

/// <summary>
/// A real OpenAI-compatible speech server on 127.0.0.1 (Kestrel, a free port): <c>POST /v1/audio/speech</c> answers
/// raw 16-bit PCM as each scripted reply says (a delay before the first byte, chunk sizes, a trickle, gates the test
/// opens, an HTTP error, a disconnect mid-line). Requests (body and Authorization header) are handed to the test as
/// they arrive. With no reply scripted it answers 500.
/// </summary>
public sealed class ScriptedSpeechServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<Func<HttpContext, Task>> _replies = Channel.CreateUnbounded<Func<HttpContext, Task>>();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Channel<Func<HttpContext, Task>>> _byInput = new();

    private ScriptedSpeechServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>What to put in <c>Speech:Voices:{name}:BaseUrl</c>.</summary>
    public string BaseUrl { get; }

    public Channel<SpeechServerRequest> Requests { get; } = Channel.CreateUnbounded<SpeechServerRequest>();

    private int _requestCount;

    /// <summary>Requests received so far.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    public static async Task<ScriptedSpeechServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ScriptedSpeechServer? server = null;
        app.MapPost("/v1/audio/speech", async context =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            Interlocked.Increment(ref server!._requestCount);
            server.Requests.Writer.TryWrite(new SpeechServerRequest(body.RootElement.Clone(), context.Request.Headers.Authorization.ToString()));
            var input = body.RootElement.GetProperty("input").GetString() ?? "";
            if (!(server._byInput.TryGetValue(input, out var scripted) && scripted.Reader.TryRead(out var reply)) && !server._replies.Reader.TryRead(out reply))
            {
                context.Response.StatusCode = 500;
                return;
            }
            await reply(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server = new ScriptedSpeechServer(app, address + "/v1");
        return server;
    }

    /// <summary>The next request gets this reply.</summary>
    public void Reply(Func<HttpContext, Task> reply) => _replies.Writer.TryWrite(reply);

    /// <summary>From now on, <see cref="Reply"/> and the Reply* helpers script the requests for <paramref name="input"/> (until <see cref="ForAnyInput"/>).</summary>
    public ScriptedSpeechServer ForInput(string input)
    {
        _scriptFor = input;
        return this;
    }

    public ScriptedSpeechServer ForAnyInput()
    {
        _scriptFor = null;
        return this;
    }

    private string? _scriptFor;

    private void Script(Func<HttpContext, Task> reply)
    {
        if (_scriptFor is null) _replies.Writer.TryWrite(reply);
        else _byInput.GetOrAdd(_scriptFor, _ => Channel.CreateUnbounded<Func<HttpContext, Task>>()).Writer.TryWrite(reply);
    }

    /// <summary>The next request (for the input chosen with <see cref="ForInput"/>, if any) gets HTTP <paramref name="status"/> and no audio.</summary>
    public void ReplyStatus(int status) => Script(context =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    });

    /// <summary>
    /// The next request gets <paramref name="pcm"/> (little-endian bytes) in pieces of <paramref name="chunkBytes"/>,
    /// after <paramref name="firstByteDelay"/>, <paramref name="pace"/> apart; with <paramref name="gate"/>, the first
    /// half is sent, then the rest once the gate's task completes. <paramref name="disconnectAfter"/> bytes: then the
    /// connection is aborted.
    /// </summary>
    public void ReplyPcm(byte[] pcm, int chunkBytes = 4096, TimeSpan firstByteDelay = default, TimeSpan pace = default,
        Task? gate = null, int? disconnectAfter = null) => Script(async context =>
    {
        if (firstByteDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(firstByteDelay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        context.Response.ContentType = "audio/pcm";
        await context.Response.StartAsync();
        var end = disconnectAfter ?? pcm.Length;
        var half = pcm.Length / 2;
        for (var at = 0; at < end; at += chunkBytes)
        {
            if (gate is not null && at >= half && at - chunkBytes < half)
            {
                try
                {
                    await gate.WaitAsync(context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            var n = Math.Min(chunkBytes, end - at);
            await context.Response.Body.WriteAsync(pcm.AsMemory(at, n));
            await context.Response.Body.FlushAsync();
            if (pace > TimeSpan.Zero) await Task.Delay(pace);
        }
        if (disconnectAfter is not null) context.Abort();
    });

    public async Task<SpeechServerRequest> NextRequestAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await Requests.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record SpeechServerRequest(JsonElement Body, string Authorization);
