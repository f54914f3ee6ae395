using LiveHost.ControlPlane.Comments;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Llm;

/// <summary>Model answers pass the room's moderation sentence by sentence (the engine's real room and term lists).</summary>
public sealed class LlmModerationTests : IAsyncLifetime
{
    private readonly string _terms = Path.Combine(Path.GetTempPath(), $"livehost-llm-{Guid.NewGuid():N}.db");
    private ModerationPolicy _policy = null!;
    private EngineRoom _room = null!;
    private ScriptedChatServer _server = null!;

    public async Task InitializeAsync()
    {
        _policy = new ModerationPolicy(new SqliteModerationTermStore(_terms), new Dictionary<string, ModerationMode> { ["main"] = ModerationMode.Block });
        _room = new EngineRoom(policy: _policy);
        _server = await ScriptedChatServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _room.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_terms);
    }

    [Fact]
    public async Task A_sentence_with_a_banned_claim_is_refused_and_stops_the_answer_there()
    {
        var (host, _) = await LlmHost.StartAsync(LlmHost.Settings(_server.BaseUrl), Room);
        await using var _ = host;
        _server.ReplyTokens(["It is lovely tea. ", "It is a guaranteed ", "cure for colds. ", "Buy it now."]);
        var producer = await host.ConnectAsync(ProducerKey);
        var ended = LlmHost.CollectEnded(producer);
        var viewer = await host.ConnectAsync(ViewerKey);

        await viewer.InvokeAsync<Comment>("SendComment", "is it good for a cold?");
        var end = await LlmHost.EndedAsync(ended);

        Assert.Equal("stopped", end.Outcome);
        Assert.Contains("'guaranteed cure'", end.Reason);
        Assert.Equal(["It is lovely tea."], _room.Controller.GetState().Queue.Select(l => l.Text));
        Assert.Equal(end.LineIds, _room.Controller.GetState().Queue.Select(l => l.Id));
    }

    [Fact]
    public async Task Each_answer_and_each_approval_is_in_the_audit_trail()
    {
        using var database = new AuditDatabase();
        var (host, _) = await LlmHost.StartAsync(LlmHost.Settings(_server.BaseUrl, mode: "review"), s =>
        {
            Room(s);
            database.Register(s);
        });
        await using var _ = host;
        _server.ReplyTokens(["It is lovely tea."]);
        var producer = await host.ConnectAsync(ProducerKey);
        var ended = LlmHost.CollectEnded(producer);
        var viewer = await host.ConnectAsync(ViewerKey);

        var comment = await viewer.InvokeAsync<Comment>("SendComment", "what is it like?");
        var end = await LlmHost.EndedAsync(ended);
        await producer.InvokeAsync<LineTicket>("ApproveLine", end.LineIds[0]);
        var entries = host.Services.GetRequiredService<IAuditLog>().Read("main", 0, 100).Entries;

        var answer = Assert.Single(entries, e => e.Command == "LlmAnswer");
        Assert.Equal("llm", answer.Role);
        Assert.Equal("ok", answer.Result);
        Assert.Contains(comment.Id, answer.Arguments);
        Assert.Contains(end.LineIds[0], answer.Arguments);
        Assert.Contains(entries, e => e.Command == "ApproveLine" && e.Arguments.Contains(end.LineIds[0], StringComparison.Ordinal));
        Assert.True(entries.ToList().FindIndex(e => e.Command == "LlmAnswer") < entries.ToList().FindIndex(e => e.Command == "ApproveLine"));
    }

    [Fact]
    public async Task In_review_mode_every_sentence_waits_for_a_producer_who_approves_one_into_the_queue()
    {
        var (host, _) = await LlmHost.StartAsync(LlmHost.Settings(_server.BaseUrl, mode: "review"), Room);
        await using var _ = host;
        _server.ReplyTokens(["It is lovely tea. ", "Ask us anything!"]);
        var producer = await host.ConnectAsync(ProducerKey);
        var ended = LlmHost.CollectEnded(producer);
        var viewer = await host.ConnectAsync(ViewerKey);

        await viewer.InvokeAsync<Comment>("SendComment", "what is it like?", "cy");
        var end = await LlmHost.EndedAsync(ended);
        var held = await producer.InvokeAsync<HeldLine[]>("GetHeldLines");
        var queuedBefore = _room.Controller.GetState().Queue.Count;
        var ticket = await producer.InvokeAsync<LineTicket>("ApproveLine", held[0].Line.Id);

        Assert.Equal("completed", end.Outcome);
        Assert.Equal(end.LineIds, held.Select(h => h.Line.Id));
        Assert.Equal(["It is lovely tea.", "Ask us anything!"], held.Select(h => h.Line.Text));
        Assert.All(held, h => Assert.Equal("@cy: what is it like?", h.Line.Caption));
        Assert.Equal("llm answer", held[0].Term.Term);
        Assert.Equal(0, queuedBefore);
        Assert.Equal(held[0].Line.Id, ticket.Id);
        Assert.Equal("It is lovely tea.", Assert.Single(_room.Controller.GetState().Queue).Text);
    }

    private void Room(IServiceCollection services)
    {
        services.AddSingleton<IRoomRegistry>(_room.Registry);
        services.AddSingleton(_policy);
    }
}
