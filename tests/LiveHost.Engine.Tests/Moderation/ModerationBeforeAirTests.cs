using LiveHost.Engine.Lines;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Tests.Moderation;

public sealed class ModerationBeforeAirTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly string _termsPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"livehost-terms-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_termsPath);
    }

    private ModerationPolicy Policy(ModerationMode mode) =>
        new(new SqliteModerationTermStore(_termsPath), new Dictionary<string, ModerationMode> { ["main"] = mode });

    [Theory]
    [InlineData("en", "It is a guaranteed cure for colds", "'guaranteed cure' (en list) at character 9 of the text")]
    [InlineData("zh", "这是最佳选择", "'最佳' (zh list) at character 3 of the text")]
    public async Task In_block_mode_a_line_with_a_blocked_term_is_refused_naming_it_and_nothing_is_queued(string language, string text, string where)
    {
        await using var room = new RoomFixture(_database.Path, language: language, policy: Policy(ModerationMode.Block));

        var refusal = await Assert.ThrowsAsync<CommandRejectedException>(async () => await room.Controller.EnqueueAsync(new LineRequest("main", text, language)));

        Assert.Equal(RejectionCode.BlockedTerm, refusal.Code);
        Assert.Contains(where, refusal.Message);
        Assert.Empty(room.Queue.Snapshot());
        Assert.Empty(room.Store.LoadUnfinished("main"));
        Assert.Empty(room.Events.All);
    }

    [Fact]
    public async Task A_blocked_term_in_the_caption_is_refused_too()
    {
        await using var room = new RoomFixture(_database.Path, policy: Policy(ModerationMode.Block));

        var refusal = await Assert.ThrowsAsync<CommandRejectedException>(async () =>
            await room.Controller.CueNowAsync(new LineRequest("main", "Here is the answer", "en", Caption: "@amy: is it 100% safe?")));

        Assert.Contains("of the caption", refusal.Message);
    }

    [Fact]
    public async Task A_lawful_line_is_queued_as_before()
    {
        await using var room = new RoomFixture(_database.Path, language: "zh", policy: Policy(ModerationMode.Block));

        var ticket = await room.Controller.EnqueueAsync(new LineRequest("main", "最近很多人问这个，这是我第一次直播", "zh"));

        Assert.Equal(0, ticket.Position);
        Assert.Single(room.Queue.Snapshot());
    }

    [Fact]
    public async Task An_allowed_phrase_added_by_an_admin_lets_the_line_through_and_survives_a_new_policy()
    {
        var policy = Policy(ModerationMode.Block);
        policy.Replace("en", [.. DefaultTerms.English.Blocked], ["100% safe packaging"]);
        await using var room = new RoomFixture(_database.Path, policy: Policy(ModerationMode.Block));

        var ticket = await room.Controller.EnqueueAsync(new LineRequest("main", "It ships in 100% safe packaging", "en"));

        Assert.Equal(0, ticket.Position);
    }

    [Fact]
    public void A_bad_term_list_is_refused_and_changes_nothing()
    {
        var policy = Policy(ModerationMode.Block);

        var error = Assert.Throws<ArgumentException>(() => policy.Replace("en", ["fine", ""], []));

        Assert.Equal("blocked[1] is empty", error.Message);
        Assert.Equal(DefaultTerms.English.Blocked, policy.Lists.Single(l => l.Language == "en").Blocked);
        Assert.Equal(DefaultTerms.English.Blocked, Policy(ModerationMode.Block).Lists.Single(l => l.Language == "en").Blocked);
    }

    [Fact]
    public async Task In_review_mode_the_line_waits_and_is_queued_under_its_own_id_once_approved()
    {
        await using var room = new RoomFixture(_database.Path, language: "zh", policy: Policy(ModerationMode.Review));

        var ticket = await room.Controller.EnqueueAsync(new LineRequest("main", "这是最佳选择", "zh"));

        Assert.Equal(-1, ticket.Position);
        Assert.Empty(room.Queue.Snapshot());
        var held = Assert.Single(room.Controller.HeldLines());
        Assert.Equal(ticket.Id, held.Line.Id);
        Assert.Equal("最佳", held.Term.Term);

        var approved = await room.Controller.ApproveAsync(ticket.Id, null);

        Assert.Equal(ticket.Id, approved.Id);
        Assert.Equal(ticket.Id, Assert.Single(room.Queue.Snapshot()).Id);
        Assert.Empty(room.Controller.HeldLines());
        Assert.Equal(ticket.Id, Assert.Single(room.Store.LoadUnfinished("main")).Id);
    }

    [Fact]
    public async Task An_edit_that_still_holds_a_blocked_term_is_refused_and_the_line_stays_held()
    {
        await using var room = new RoomFixture(_database.Path, policy: Policy(ModerationMode.Review));
        var ticket = await room.Controller.EnqueueAsync(new LineRequest("main", "No side effects at all", "en"));

        var refusal = await Assert.ThrowsAsync<CommandRejectedException>(async () => await room.Controller.ApproveAsync(ticket.Id, "Truly 100% safe"));

        Assert.Equal(RejectionCode.BlockedTerm, refusal.Code);
        Assert.Single(room.Controller.HeldLines());
        Assert.Empty(room.Queue.Snapshot());

        await room.Controller.ApproveAsync(ticket.Id, "Side effects are rare; ask your doctor");

        Assert.Equal("Side effects are rare; ask your doctor", Assert.Single(room.Queue.Snapshot()).Text);
    }

    [Fact]
    public async Task A_rejected_line_is_gone_and_cannot_be_approved_afterwards()
    {
        await using var room = new RoomFixture(_database.Path, policy: Policy(ModerationMode.Review));
        var ticket = await room.Controller.EnqueueAsync(new LineRequest("main", "A miracle cure", "en"));

        room.Controller.Reject(ticket.Id);

        Assert.Empty(room.Controller.HeldLines());
        var refusal = await Assert.ThrowsAsync<CommandRejectedException>(async () => await room.Controller.ApproveAsync(ticket.Id, null));
        Assert.Equal(RejectionCode.NotFound, refusal.Code);
        Assert.Empty(room.Queue.Snapshot());
        Assert.DoesNotContain(room.Events.All, e => e.Line is not null);
    }

    [Fact]
    public async Task Holding_a_line_and_rejecting_it_each_report_the_rooms_held_count_in_StateChanged_and_no_line_event()
    {
        await using var room = new RoomFixture(_database.Path, policy: Policy(ModerationMode.Review));

        var first = await room.Controller.EnqueueAsync(new LineRequest("main", "A miracle cure", "en"));
        var afterFirst = Assert.Single(room.Events.States);
        await room.Controller.CueNowAsync(new LineRequest("main", "Risk free for everyone", "en"));
        var afterSecond = room.Events.States.Last();
        room.Controller.Reject(first.Id);
        var afterReject = room.Events.States.Last();

        Assert.Equal([1, 2, 1], new[] { afterFirst.Held, afterSecond.Held, afterReject.Held });
        Assert.Equal(3, room.Events.States.Count);
        Assert.Equal(1, room.Controller.GetState().Held);
        Assert.DoesNotContain(room.Events.All, e => e.Line is not null);
    }

    [Fact]
    public async Task A_line_with_a_caption_shows_the_caption_while_its_text_is_spoken()
    {
        await using var room = new RoomFixture(_database.Path, policy: Policy(ModerationMode.Block));
        await room.Controller.EnqueueAsync(new LineRequest("main", "It is 30 centimetres long", "en", Caption: "@amy: how big is it?"));

        room.Ticks(3);

        Assert.Contains(room.Composer.Frames, f => f.Caption == "@amy: how big is it?");
        Assert.DoesNotContain(room.Composer.Frames, f => f.Caption == "It is 30 centimetres long");
    }
}
