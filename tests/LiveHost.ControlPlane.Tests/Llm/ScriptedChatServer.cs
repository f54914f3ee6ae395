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

namespace LiveHost.ControlPlane.Tests.Llm;

/// <summary>
/// A real chat-completions server on 127.0.0.1 (Kestrel, a free port) that speaks the OpenAI streaming protocol:
/// <c>POST /v1/chat/completions</c> answers <c>text/event-stream</c> with <c>data: {"choices":[{"delta":{"content":...}}]}</c>
/// events and <c>data: [DONE]</c>, as each scripted reply tells it (tokens, pauses, gates the test opens, errors,
/// disconnects). Requests (body and Authorization header) are handed to the test as they arrive. With no reply
/// scripted it answers 500.
/// </summary>
public sealed class ScriptedChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<Func<ChatReply, Task>> _replies = Channel.CreateUnbounded<Func<ChatReply, Task>>();

    private ScriptedChatServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>What to put in <c>Llm:BaseUrl</c>.</summary>
    public string BaseUrl { get; }

    public Channel<ChatRequest> Requests { get; } = Channel.CreateUnbounded<ChatRequest>();

    public static async Task<ScriptedChatServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ScriptedChatServer? server = null;
        app.MapPost("/v1/chat/completions", async context =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            server!.Requests.Writer.TryWrite(new ChatRequest(body.RootElement.Clone(), context.Request.Headers.Authorization.ToString()));
            if (!server._replies.Reader.TryRead(out var reply))
            {
                context.Response.StatusCode = 500;
                return;
            }
            await reply(new ChatReply(context));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server = new ScriptedChatServer(app, address + "/v1");
        return server;
    }

    /// <summary>The next request gets this reply.</summary>
    public void Reply(Func<ChatReply, Task> reply) => _replies.Writer.TryWrite(reply);

    /// <summary>The next request gets these tokens, <paramref name="pace"/> apart, then [DONE].</summary>
    public void ReplyTokens(IEnumerable<string> tokens, TimeSpan? pace = null) => Reply(async r =>
    {
        foreach (var token in tokens)
        {
            await r.SendAsync(token);
            if (pace is { } p) await Task.Delay(p);
        }
        await r.DoneAsync();
    });

    public async Task<ChatRequest> NextRequestAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await Requests.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed record ChatRequest(JsonElement Body, string Authorization)
{
    public string System => Body.GetProperty("messages")[0].GetProperty("content").GetString()!;

    public string User => Body.GetProperty("messages")[1].GetProperty("content").GetString()!;
}

/// <summary>One streaming response being written.</summary>
public sealed class ChatReply(HttpContext context)
{
    private bool _started;

    public HttpContext Context => context;

    public async Task SendAsync(string content)
    {
        await StartAsync();
        var json = JsonSerializer.Serialize(new { choices = new[] { new { index = 0, delta = new { content } } } });
        await context.Response.WriteAsync($"data: {json}\n\n");
        await context.Response.Body.FlushAsync();
    }

    public async Task DoneAsync()
    {
        await StartAsync();
        await context.Response.WriteAsync("data: [DONE]\n\n");
        await context.Response.Body.FlushAsync();
    }

    /// <summary>Sends the headers only (a server that then says nothing).</summary>
    public async Task StartAsync()
    {
        if (_started) return;
        _started = true;
        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync();
        await context.Response.Body.FlushAsync();
    }

    /// <summary>Drops the connection mid-answer.</summary>
    public void Abort() => context.Abort();
}
