using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.ControlPlane.Tests.Show;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Llm;

/// <summary>The prompt is built from the room's own data, and an answer that invents a number stops there (real show room).</summary>
public sealed class LlmGroundingTests
{
    [Fact]
    public async Task The_prompt_carries_persona_products_on_show_and_in_the_script_closest_faq_and_last_lines_and_the_key_goes_only_in_the_header()
    {
        await using var server = await ScriptedChatServer.StartAsync();
        await using var room = new ShowRoom();
        var (cup, _) = await ShowAsync(room);
        var (host, _) = await LlmHost.StartAsync(LlmHost.Settings(server.BaseUrl), s =>
        {
            s.AddSingleton<IRoomRegistry>(room.Registry);
            s.AddSingleton(room.Library);
        });
        await using var _ = host;
        host.Services.GetRequiredService<FaqBook>().Save("main", new FaqEntry(null, null, ["How long does delivery take?"], "Delivery takes 3 days.", "en"));
        host.Services.GetRequiredService<HubRoomEventSink>().LineStarted(SpokenLine("Welcome to Mia's kitchen, everyone!"));
        server.ReplyTokens(["The cup is 199 ", "CNY. It keeps ", "drinks hot for 12 h."]);
        var producer = await host.ConnectAsync(ProducerKey);
        var ended = LlmHost.CollectEnded(producer);
        var viewer = await host.ConnectAsync(ViewerKey);

        await viewer.InvokeAsync<Comment>("SendComment", "How long does the cup keep tea hot?", "bo");
        var request = await server.NextRequestAsync();
        var end = await LlmHost.EndedAsync(ended);

        Assert.Equal("Bearer " + LlmHost.ApiKey, request.Authorization);
        Assert.Equal("test-model", request.Body.GetProperty("model").GetString());
        Assert.True(request.Body.GetProperty("stream").GetBoolean());
        Assert.StartsWith("You are Mia, the cheerful host of Mia's kitchen shop.", request.System);
        Assert.Contains("Product on show: Thermos cup, price 199 CNY; keeps drinks hot for 12 h", request.System);
        Assert.Contains("Product in today's script: Tea set, price 88 CNY", request.System);
        Assert.Contains("FAQ: Q: How long does delivery take? A: Delivery takes 3 days.", request.System);
        Assert.Contains("- Welcome to Mia's kitchen, everyone!", request.System);
        Assert.Contains("say that you do not know", request.System);
        Assert.Contains("Answer in English", request.System);
        Assert.Equal("Viewer bo asks: How long does the cup keep tea hot?", request.User);
        Assert.Equal("completed", end.Outcome);
        Assert.Equal(["The cup is 199 CNY.", "It keeps drinks hot for 12 h."], Answers(room));
        Assert.Equal(cup.Id, room.Controller.GetState().Product?.Id);
    }

    [Fact]
    public async Task A_chinese_question_asks_for_a_chinese_answer_and_a_price_the_products_do_not_state_stops_it()
    {
        await using var server = await ScriptedChatServer.StartAsync();
        await using var room = new ShowRoom();
        await ShowAsync(room);
        var (host, ended, viewer) = await ShowHostAsync(server, room);
        await using var _ = host;
        server.ReplyTokens(["这个杯子", "199元。今天", "只要149元！", "快来买吧。"]);

        await viewer.InvokeAsync<Comment>("SendComment", "这个杯子多少钱？");
        var request = await server.NextRequestAsync();
        var end = await LlmHost.EndedAsync(ended);

        Assert.Contains("Answer in Chinese", request.System);
        Assert.Equal("stopped", end.Outcome);
        Assert.Contains("'149'", end.Reason);
        Assert.Single(end.LineIds);
        Assert.Equal(["这个杯子199元。"], Answers(room));
        Assert.Equal("zh", room.Controller.GetState().Queue.Single(l => l.Tag?.StartsWith("llm:", StringComparison.Ordinal) == true).Language);
    }

    [Fact]
    public async Task A_price_spelled_out_in_words_passes_when_the_product_states_it_and_an_invented_one_stops_the_answer()
    {
        await using var server = await ScriptedChatServer.StartAsync();
        await using var room = new ShowRoom();
        await ShowAsync(room);
        var (host, ended, viewer) = await ShowHostAsync(server, room);
        await using var _ = host;
        server.ReplyTokens(["The cup is one hundred ninety-nine ", "yuan. Today only ", "ninety-nine! ", "Hurry."]);

        await viewer.InvokeAsync<Comment>("SendComment", "any discount on the cup?");
        var end = await LlmHost.EndedAsync(ended);

        Assert.Equal("stopped", end.Outcome);
        Assert.Contains("sentence 2 states 'ninety-nine'", end.Reason);
        Assert.Equal(["The cup is one hundred ninety-nine yuan."], Answers(room));
    }

    /// <summary>The host on the show room, answering with <paramref name="server"/>; a producer collects the answers' ends.</summary>
    private static async Task<(ControlPlaneTestHost Host, System.Threading.Channels.Channel<LiveHost.ControlPlane.Llm.LlmAnswerEnded> Ended, HubConnection Viewer)>
        ShowHostAsync(ScriptedChatServer server, ShowRoom room)
    {
        var (host, _) = await LlmHost.StartAsync(LlmHost.Settings(server.BaseUrl), s =>
        {
            s.AddSingleton<IRoomRegistry>(room.Registry);
            s.AddSingleton(room.Library);
        });
        var producer = await host.ConnectAsync(ProducerKey);
        return (host, LlmHost.CollectEnded(producer), await host.ConnectAsync(ViewerKey));
    }

    private static async Task<(Product Cup, Product Tea)> ShowAsync(ShowRoom room)
    {
        var cup = room.Library.Products.Save(new Product(null, "Thermos cup", 199m, "CNY", ["keeps drinks hot for 12 h"]));
        var tea = room.Library.Products.Save(new Product(null, "Tea set", 88m, "CNY"));
        var script = room.Library.SaveScript(new Script(null, "ad", [new ScriptLine("Look at this tea set", Product: tea.Id)]));
        await room.Library.PlayScriptAsync("main", script.Id, "loop");
        room.Library.ShowProduct("main", cup.Id, null);
        return (cup, tea);
    }

    private static string[] Answers(ShowRoom room) =>
        [.. room.Controller.GetState().Queue.Where(l => l.Tag?.StartsWith("llm:", StringComparison.Ordinal) == true).Select(l => l.Text)];

    private static Line SpokenLine(string text) =>
        new("spoken-1", "main", text, "en", LineStatus.Speaking, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null);
}
