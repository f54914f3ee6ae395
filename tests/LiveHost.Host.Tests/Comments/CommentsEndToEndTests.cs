using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Threading.Channels;
using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.Engine.Lines;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHost.Host.Tests.Comments;

/// <summary>
/// Issue 11 end to end on the real host (espeak-ng, the engine, SQLite, the hub): a viewer's comment is matched to an
/// FAQ entry, offered to staff, answered by the room itself (AutoAnswer), spoken, and finished; an answer holding a
/// blocked term never reaches the queue.
/// </summary>
public sealed class CommentsEndToEndTests : IAsyncLifetime
{
    private const string AdminKey = "e2e-admin-key-0123456789";
    private const string ProducerKey = "e2e-producer-key-0123456789";
    private const string ViewerKey = "e2e-viewer-key-0123456789";
    private readonly string _data = Directory.CreateTempSubdirectory("livehost-comments-").FullName;
    private readonly List<HubConnection> _connections = [];
    private WebApplicationFactory<Program> _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", _data);
            b.UseSetting("Rooms:main:Width", "320");
            b.UseSetting("Rooms:main:Height", "240");
            b.UseSetting("Rooms:main:AutoAnswer", "true");
            var keys = new[] { (AdminKey, "admin"), (ProducerKey, "producer"), (ViewerKey, "viewer") };
            for (var i = 0; i < keys.Length; i++)
            {
                b.UseSetting($"Auth:Keys:{i}:Key", keys[i].Item1);
                b.UseSetting($"Auth:Keys:{i}:Role", keys[i].Item2);
                b.UseSetting($"Auth:Keys:{i}:Name", "e2e " + keys[i].Item2);
            }
        });
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
        await _factory.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_comment_that_matches_an_FAQ_entry_is_suggested_answered_by_itself_spoken_and_finished()
    {
        var producer = await ConnectAsync(ProducerKey);
        var suggested = Collect<AnswerSuggestion>(producer, "AnswerSuggested");
        var finished = Collect<Line>(producer, "LineFinished");
        var started = Collect<Line>(producer, "LineStarted");
        var entry = await (await Client(ProducerKey).PostAsJsonAsync("/api/rooms/main/faq",
            new { questions = new[] { "How much does it cost?", "What is the price?" }, answer = "It is twenty nine dollars.", language = "en" }))
            .Content.ReadFromJsonAsync<FaqEntry>();
        var viewer = await ConnectAsync(ViewerKey);

        var comment = await viewer.InvokeAsync<Comment>("SendComment", "how much is it?", "amy");
        var suggestion = await suggested.Reader.ReadAsync(Timeout());
        var start = await ReadUntilAsync(started, l => l.Tag == "answer:" + comment.Id);
        var end = await ReadUntilAsync(finished, l => l.Id == start.Id);

        Assert.Equal(entry!.Id, suggestion.Entry.Id);
        Assert.Equal("It is twenty nine dollars.", start.Text);
        Assert.Equal("@amy: how much is it?", start.Caption);
        Assert.Equal(FinishReason.Completed, end.Reason);
    }

    [Fact]
    public async Task An_answer_with_a_blocked_term_is_refused_when_a_producer_answers_and_nothing_is_queued()
    {
        var producer = await ConnectAsync(ProducerKey);
        var suggested = Collect<AnswerSuggestion>(producer, "AnswerSuggested");
        await Client(ProducerKey).PostAsJsonAsync("/api/rooms/main/faq",
            new { questions = new[] { "Is it safe for children?" }, answer = "Yes, it is 100% safe.", language = "en" });
        var viewer = await ConnectAsync(ViewerKey);

        var comment = await viewer.InvokeAsync<Comment>("SendComment", "is it safe for my children?");
        await suggested.Reader.ReadAsync(Timeout());
        var refusal = await Assert.ThrowsAsync<HubException>(() => producer.InvokeAsync<LineTicket>("AnswerComment", comment.Id));
        var state = await producer.InvokeAsync<LiveHost.Engine.Rooms.RoomState>("GetState");

        Assert.Contains("the line contains the blocked term '100% safe' (en list)", refusal.Message);
        Assert.DoesNotContain(state.Queue, l => l.Tag == "answer:" + comment.Id);
        Assert.NotEqual("answer:" + comment.Id, state.Current?.Tag);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static async Task<Line> ReadUntilAsync(Channel<Line> channel, Func<Line, bool> match)
    {
        var token = Timeout();
        while (true)
        {
            var line = await channel.Reader.ReadAsync(token);
            if (match(line)) return line;
        }
    }

    private static Channel<T> Collect<T>(HubConnection connection, string name)
    {
        var channel = Channel.CreateUnbounded<T>();
        connection.On<T>(name, item => channel.Writer.TryWrite(item));
        return channel;
    }

    private HttpClient Client(string key)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private async Task<HubConnection> ConnectAsync(string key)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_factory.Server.BaseAddress, "/hubs/control"), options =>
            {
                options.HttpMessageHandlerFactory = _ => _factory.Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
                options.AccessTokenProvider = () => Task.FromResult<string?>(key);
            })
            .Build();
        _connections.Add(connection);
        await connection.StartAsync();
        return connection;
    }
}
