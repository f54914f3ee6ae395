using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Tests;

public sealed class LineValidationTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    public static TheoryData<string?, string?, string?, RejectionCode, string> BadRequests => new()
    {
        { "", null, null, RejectionCode.TextEmpty, "text is empty" },
        { "   ", null, null, RejectionCode.TextEmpty, "text is empty" },
        { null, null, null, RejectionCode.TextEmpty, "text is empty" },
        { new string('a', 100_000), null, null, RejectionCode.TextTooLong, "100000 characters" },
        { "hello", "fr", null, RejectionCode.UnknownLanguage, "unknown language 'fr'" },
        { "hello", "en", "nope", RejectionCode.UnknownVoice, "unknown voice 'nope'" },
        { "hello", "en", "tone-zh", RejectionCode.UnknownVoice, "unknown voice 'tone-zh' for language 'en'" },
        { "\u00010A hello", null, null, RejectionCode.InvalidInput, "control character U+0001 at character 1" },
        { "hi \u0001450S", null, null, RejectionCode.InvalidInput, "control character U+0001 at character 4" },
        { "\u200B\uFEFF \u200E\u2066\u202E\u200D", null, null, RejectionCode.TextEmpty, "invisible characters" },
        { string.Concat(Enumerable.Repeat("\U0001F44D\U0001F3FD", 5001)), null, null, RejectionCode.TextTooLong, "5001 characters" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_refused_with_a_message_and_changes_nothing(
        string? text, string? language, string? voice, RejectionCode code, string message)
    {
        await using var room = new RoomFixture(_db.Path);
        var error = await Assert.ThrowsAsync<CommandRejectedException>(
            async () => await room.Controller.EnqueueAsync(new LineRequest(null, text, language, voice)));
        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message);

        await Assert.ThrowsAsync<CommandRejectedException>(
            async () => await room.Controller.CueNowAsync(new LineRequest(null, text, language, voice)));
        Assert.Empty(room.Events.All);
        Assert.Empty(room.Queue.Snapshot());
        Assert.Empty(room.Store.LoadUnfinished("main"));
    }

    [Fact]
    public async Task A_line_without_language_takes_the_rooms_language()
    {
        await using var room = new RoomFixture(_db.Path, language: "zh");
        await room.Controller.EnqueueAsync(new LineRequest(null, "你好"));
        Assert.Equal("zh", Assert.Single(room.Queue.Snapshot()).Language);
    }

    [Fact]
    public async Task Ticket_position_counts_the_line_being_spoken()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 2000);
        Assert.Equal(0, (await room.Controller.EnqueueAsync(new LineRequest(null, "a"))).Position);
        room.Ticks(2);
        Assert.Equal(1, (await room.Controller.EnqueueAsync(new LineRequest(null, "b"))).Position);
        Assert.Equal(2, (await room.Controller.EnqueueAsync(new LineRequest(null, "c"))).Position);
    }
}
