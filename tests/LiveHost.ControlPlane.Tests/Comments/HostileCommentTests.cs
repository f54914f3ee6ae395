using Microsoft.AspNetCore.SignalR.Client;
using LiveHost.ControlPlane.Comments;
using static LiveHost.ControlPlane.Tests.ControlPlaneTestHost;

namespace LiveHost.ControlPlane.Tests.Comments;

public sealed class HostileCommentTests
{
    [Theory]
    [InlineData("hi\u0007there", null, "the comment contains the control character U+0007 at character 3: remove it")]
    [InlineData("ok", "a\u0000b", "the nickname contains the control character U+0000 at character 2: remove it")]
    [InlineData("\u200B\u200B ", null, "the comment is empty once invisible characters are removed")]
    [InlineData("ok", "a-nickname-of-25-letters!", "the nickname is 25 characters long; the limit is 24 (characters as users see them: grapheme clusters)")]
    [InlineData("visit https://shop.example/deal", null, "the comment contains a link; links are not allowed in comments")]
    [InlineData("see shop.example.com now", null, "the comment contains a link")]
    [InlineData("call 138 0013 8000", null, "the comment contains a phone number")]
    [InlineData("微信 １３８００１３８０００", null, "the comment contains a phone number")]
    [InlineData("ok", "www.spam.cn", "the nickname contains a link")]
    [InlineData("this is a scam", null, "the comment contains the blocked word 'scam' at character 11")]
    public async Task A_bad_comment_is_refused_with_a_clear_message_and_changes_nothing(string text, string? nickname, string message)
    {
        var (host, _) = await CommentHost.StartAsync(new() { ["Comments:BlockedWords:0"] = "scam" });
        await using var _ = host;
        var staff = await host.ConnectAsync(ProducerKey);
        var received = CommentHost.Collect<Comment>(staff, "CommentPosted");
        var viewer = await host.ConnectAsync(ViewerKey);

        var refusal = await CommentHost.RefusedAsync(() => viewer.InvokeAsync<Comment>("SendComment", text, nickname));
        var next = await viewer.InvokeAsync<Comment>("SendComment", "a fair question");

        Assert.Contains(message, refusal.Message);
        // Nothing was numbered, kept, sent or counted against the connection: the next comment is the first.
        Assert.Equal(1, next.Seq);
        Assert.Equal(next, Assert.Single(await CommentHost.TakeAsync(received, 1)));
        Assert.Equal([next], await staff.InvokeAsync<Comment[]>("GetComments"));
    }

    [Fact]
    public async Task A_10_KB_comment_is_refused_by_its_length()
    {
        var (host, _) = await CommentHost.StartAsync();
        await using var _ = host;
        var viewer = await host.ConnectAsync(ViewerKey);

        var refusal = await CommentHost.RefusedAsync(() => viewer.InvokeAsync<Comment>("SendComment", new string('x', 10 * 1024)));

        Assert.Contains("the comment is far longer than 200 characters (the limit): shorten it", refusal.Message);
    }

    [Fact]
    public async Task Two_hundred_user_perceived_characters_are_accepted_and_201_are_not()
    {
        var (host, time) = await CommentHost.StartAsync();
        await using var _ = host;
        var viewer = await host.ConnectAsync(ViewerKey);
        var thumbs = string.Concat(Enumerable.Repeat("👍🏽", 200));

        var accepted = await viewer.InvokeAsync<Comment>("SendComment", thumbs);
        time.Advance(TimeSpan.FromSeconds(3));
        var refusal = await CommentHost.RefusedAsync(() => viewer.InvokeAsync<Comment>("SendComment", thumbs + "e\u0301"));

        Assert.Equal(thumbs, accepted.Text);
        Assert.Contains("the comment is 201 characters long; the limit is 200", refusal.Message);
    }

    [Fact]
    public async Task Markup_in_a_comment_is_kept_as_text_for_the_page_to_show_as_text()
    {
        var (host, _) = await CommentHost.StartAsync();
        await using var _ = host;
        var viewer = await host.ConnectAsync(ViewerKey);

        var comment = await viewer.InvokeAsync<Comment>("SendComment", "<script>alert(1)</script>", "<img onerror=alert(2)>");

        Assert.Equal("<script>alert(1)</script>", comment.Text);
        Assert.Equal("<img onerror=alert(2)>", comment.Nickname);
    }

    [Fact]
    public async Task A_comment_to_an_unknown_room_is_refused()
    {
        var (host, _) = await CommentHost.StartAsync();
        await using var _ = host;
        var viewer = await host.ConnectAsync(ViewerKey);

        var refusal = await CommentHost.RefusedAsync(() => viewer.InvokeAsync<Comment>("SendComment", "hi", null, "nowhere"));

        Assert.Contains("unknown room 'nowhere'", refusal.Message);
    }
}
