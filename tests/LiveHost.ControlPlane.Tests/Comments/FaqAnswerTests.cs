using Microsoft.AspNetCore.SignalR.Client;
using System.Net;
using System.Net.Http.Json;
using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.Engine.Lines;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Comments;

public sealed class FaqAnswerTests
{
    private static readonly FaqEntry Price = new(null, null, ["How much does it cost?", "What is the price?"], "It is 29 dollars today.", "en");
    private static readonly FaqEntry Stock = new(null, null, ["还有货吗？", "有库存吗"], "还有货，现在下单明天发。", "zh");

    [Fact]
    public async Task A_comment_that_matches_an_entry_is_offered_to_staff_and_a_producer_answers_it_as_a_captioned_line()
    {
        var (host, _) = await CommentHost.StartAsync();
        await using var _ = host;
        var seller = host.Client(SellerKey);
        var saved = await (await seller.PostAsJsonAsync("/api/rooms/main/faq", Price)).Content.ReadFromJsonAsync<FaqEntry>();
        var producer = await host.ConnectAsync(ProducerKey);
        var suggestions = CommentHost.Collect<AnswerSuggestion>(producer, "AnswerSuggested");
        var viewer = await host.ConnectAsync(ViewerKey);

        var comment = await viewer.InvokeAsync<Comment>("SendComment", "how much is it??", "amy");
        var suggestion = Assert.Single(await CommentHost.TakeAsync(suggestions, 1));
        var ticket = await producer.InvokeAsync<LineTicket>("AnswerComment", comment.Id);

        Assert.Equal(comment, suggestion.Comment);
        Assert.Equal(saved!.Id, suggestion.Entry.Id);
        Assert.InRange(suggestion.Score, 0.3, 1.0);
        Assert.Equal("main", ticket.Room);
        var line = Assert.Single(host.Rooms["main"].Requests);
        Assert.Equal("It is 29 dollars today.", line.Text);
        Assert.Equal("@amy: how much is it??", line.Caption);
        Assert.Equal("en", line.Language);
        Assert.Equal("answer:" + comment.Id, line.Tag);
    }

    [Fact]
    public async Task A_chinese_comment_matches_by_character_bigrams_and_may_be_answered_with_a_named_entry()
    {
        var (host, _) = await CommentHost.StartAsync();
        await using var _ = host;
        var producer = await host.ConnectAsync(ProducerKey);
        var stock = await producer.InvokeAsync<FaqEntry>("SaveFaq", Stock);
        var price = await producer.InvokeAsync<FaqEntry>("SaveFaq", Price);
        var suggestions = CommentHost.Collect<AnswerSuggestion>(producer, "AnswerSuggested");
        var viewer = await host.ConnectAsync(ViewerKey);

        var comment = await viewer.InvokeAsync<Comment>("SendComment", "请问还有库存吗？");
        var suggestion = Assert.Single(await CommentHost.TakeAsync(suggestions, 1));
        await producer.InvokeAsync<LineTicket>("AnswerComment", comment.Id, price.Id);

        Assert.Equal(stock.Id, suggestion.Entry.Id);
        var line = Assert.Single(host.Rooms["main"].Requests);
        Assert.Equal(Price.Answer, line.Text);
        Assert.Equal("@viewer: 请问还有库存吗？", line.Caption);
    }

    [Fact]
    public async Task Answering_needs_a_producer_and_a_known_comment_and_entry()
    {
        var (host, _) = await CommentHost.StartAsync();
        await using var _ = host;
        var seller = await host.ConnectAsync(SellerKey);
        var producer = await host.ConnectAsync(ProducerKey);
        await producer.InvokeAsync<FaqEntry>("SaveFaq", Price);
        var viewer = await host.ConnectAsync(ViewerKey);
        var comment = await viewer.InvokeAsync<Comment>("SendComment", "what colours are there?");

        var role = await CommentHost.RefusedAsync(() => seller.InvokeAsync<LineTicket>("AnswerComment", comment.Id));
        var noMatch = await CommentHost.RefusedAsync(() => producer.InvokeAsync<LineTicket>("AnswerComment", comment.Id));
        var noComment = await CommentHost.RefusedAsync(() => producer.InvokeAsync<LineTicket>("AnswerComment", "main-99"));
        var noEntry = await CommentHost.RefusedAsync(() => producer.InvokeAsync<LineTicket>("AnswerComment", comment.Id, "nope"));

        Assert.Contains("this needs the producer role; your key has seller", role.Message);
        Assert.Contains("no FAQ entry of room 'main' matches comment main-1; name the entry to answer with (entryId)", noMatch.Message);
        Assert.Contains("room 'main' has no comment 'main-99'", noComment.Message);
        Assert.Contains("room 'main' has no FAQ entry 'nope'", noEntry.Message);
        Assert.Empty(host.Rooms["main"].Requests);
    }

    [Theory]
    [InlineData("{\"questions\":[],\"answer\":\"a\",\"language\":\"en\"}", "questions is empty")]
    [InlineData("{\"questions\":[\"q\"],\"answer\":\"\",\"language\":\"en\"}", "answer is empty")]
    [InlineData("{\"questions\":[\"q\"],\"answer\":\"a\",\"language\":\"fr\"}", "language 'fr' is not one of en, zh")]
    [InlineData("{\"questions\":[\"q\\u0001\"],\"answer\":\"a\",\"language\":\"en\"}", "questions[0] contains the control character U+0001 at character 2")]
    [InlineData("{\"questions\":\"q\"}", "the body is not valid JSON")]
    public async Task A_bad_FAQ_entry_is_refused_saying_what_is_wrong_and_nothing_is_stored(string body, string message)
    {
        var (host, _) = await CommentHost.StartAsync();
        await using var _ = host;
        var seller = host.Client(SellerKey);

        var response = await seller.PostAsync("/api/rooms/main/faq", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var list = await seller.GetFromJsonAsync<Rest>("/api/rooms/main/faq");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        Assert.Empty(list!.Entries);
    }

    [Fact]
    public async Task Sellers_edit_and_delete_entries_over_REST_and_viewers_may_not()
    {
        var (host, _) = await CommentHost.StartAsync();
        await using var _ = host;
        var seller = host.Client(SellerKey);
        var created = await seller.PostAsJsonAsync("/api/rooms/main/faq", Price);
        var entry = await created.Content.ReadFromJsonAsync<FaqEntry>();

        var edited = await seller.PutAsJsonAsync($"/api/rooms/main/faq/{entry!.Id}", Price with { Answer = "Now 25 dollars." });
        var forbidden = await host.Client(ViewerKey).GetAsync("/api/rooms/main/faq");
        var deleted = await seller.DeleteAsync($"/api/rooms/main/faq/{entry.Id}");
        var again = await seller.DeleteAsync($"/api/rooms/main/faq/{entry.Id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/rooms/main/faq/{entry.Id}", created.Headers.Location!.OriginalString);
        Assert.Equal("Now 25 dollars.", (await edited.Content.ReadFromJsonAsync<FaqEntry>())!.Answer);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Auto_answer_answers_a_good_match_once_per_entry_per_period()
    {
        var (host, time) = await CommentHost.StartAsync(new() { ["Rooms:main:AutoAnswer"] = "true", ["Comments:AutoAnswerEntryPeriod"] = "00:05:00" });
        await using var _ = host;
        var producer = await host.ConnectAsync(ProducerKey);
        await producer.InvokeAsync<FaqEntry>("SaveFaq", Price);
        var suggestions = CommentHost.Collect<AnswerSuggestion>(producer, "AnswerSuggested");
        var queued = host.Rooms["main"].RequestsReceived;
        var viewers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => host.ConnectAsync(ViewerKey)));

        await viewers[0].InvokeAsync<Comment>("SendComment", "what is the price?", "amy");
        var first = await queued.Reader.ReadAsync();
        await viewers[1].InvokeAsync<Comment>("SendComment", "what's the price", "bo");
        time.Advance(TimeSpan.FromMinutes(5));
        await viewers[2].InvokeAsync<Comment>("SendComment", "price please?", "cy");
        var second = await queued.Reader.ReadAsync();
        await CommentHost.TakeAsync(suggestions, 3);

        Assert.Equal("@amy: what is the price?", first.Caption);
        // Bo's comment was suggested to staff but not answered again within five minutes; Cy's, after them, was.
        Assert.Equal("@cy: price please?", second.Caption);
        Assert.Equal(2, host.Rooms["main"].Requests.Count);
    }

    [Fact]
    public async Task Two_entries_created_in_the_same_millisecond_get_different_ids()
    {
        var (host, _) = await CommentHost.StartAsync();
        await using var _ = host;
        var seller = await host.ConnectAsync(SellerKey);

        var a = await seller.InvokeAsync<FaqEntry>("SaveFaq", Price);
        var b = await seller.InvokeAsync<FaqEntry>("SaveFaq", Stock);

        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal(2, (await seller.InvokeAsync<FaqEntry[]>("ListFaq")).Length);
    }

    private sealed record Rest(FaqEntry[] Entries);
}
