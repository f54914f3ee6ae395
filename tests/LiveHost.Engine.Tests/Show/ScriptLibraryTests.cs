using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;

namespace LiveHost.Engine.Tests.Show;

public sealed class ScriptLibraryTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_saved_script_is_listed_read_back_replaced_and_deleted()
    {
        await using var room = new ShowFixture(_db.Path);
        var saved = room.SaveScript(" Morning ad ", new ScriptLine("Hello\u200B there", "en", null, null, 500), new ScriptLine("你好", "zh"));

        Assert.Equal("Morning ad", saved.Name);
        var listed = Assert.Single(room.Library.ListScripts().Scripts);
        Assert.Equal((saved.Id, "Morning ad", 2), (listed.Id, listed.Name, listed.LineCount));
        var read = room.Library.GetScript(saved.Id);
        Assert.Equal([new ScriptLine("Hello there", "en", null, null, 500), new ScriptLine("你好", "zh")], read.Lines);

        room.Library.SaveScript(new Script(null, "Evening ad", [new ScriptLine("bye")]), saved.Id);
        Assert.Equal(["bye"], room.Library.GetScript(saved.Id).Lines!.Select(l => l.Text));

        room.Library.DeleteScript(saved.Id);
        Assert.Empty(room.Library.ListScripts().Scripts);
        var gone = Assert.Throws<CommandRejectedException>(() => room.Library.GetScript(saved.Id));
        Assert.Equal(RejectionCode.UnknownScript, gone.Code);
    }

    [Fact]
    public async Task Scripts_survive_a_restart_in_the_lines_database()
    {
        string id;
        await using (var before = new ShowFixture(_db.Path))
        {
            id = before.SaveScript("ad", new ScriptLine("one")).Id!;
        }
        await using var after = new ShowFixture(_db.Path);
        Assert.Equal("one", Assert.Single(after.Library.GetScript(id).Lines!).Text);
    }

    [Fact]
    public async Task A_script_of_ten_thousand_lines_is_refused_naming_the_limit_and_nothing_is_stored()
    {
        await using var room = new ShowFixture(_db.Path);
        var lines = Enumerable.Range(0, 10_000).Select(i => new ScriptLine($"line {i}")).ToArray();

        var refused = Assert.Throws<CommandRejectedException>(() => room.Library.SaveScript(new Script(null, "huge", lines)));

        Assert.Equal(RejectionCode.PayloadTooLarge, refused.Code);
        Assert.Contains("10000 lines; the limit is 1000 lines", refused.Message, StringComparison.Ordinal);
        Assert.Empty(room.Library.ListScripts().Scripts);
    }

    [Fact]
    public async Task A_script_of_exactly_the_limit_is_stored()
    {
        await using var room = new ShowFixture(_db.Path);
        var lines = Enumerable.Range(0, ScriptValidator.MaxLines).Select(i => new ScriptLine($"line {i}")).ToArray();

        var saved = room.Library.SaveScript(new Script(null, "full", lines));

        Assert.Equal(ScriptValidator.MaxLines, room.Library.GetScript(saved.Id).Lines!.Count);
    }

    [Theory]
    [InlineData("", null, null, RejectionCode.TextEmpty, "script line 2: text is empty")]
    [InlineData("hi", "fr", null, RejectionCode.UnknownLanguage, "script line 2: unknown language 'fr'")]
    [InlineData("hi", "en", "nobody", RejectionCode.UnknownVoice, "script line 2: unknown voice 'nobody'")]
    [InlineData("hi", null, null, RejectionCode.UnknownProduct, "script line 2: unknown product 'no-such-product'")]
    public async Task A_bad_script_line_is_refused_naming_the_line_and_nothing_is_stored(string text, string? language, string? voice, RejectionCode code, string message)
    {
        await using var room = new ShowFixture(_db.Path);
        var product = code == RejectionCode.UnknownProduct ? "no-such-product" : null;

        var refused = Assert.Throws<CommandRejectedException>(() =>
            room.SaveScript("bad", new ScriptLine("fine"), new ScriptLine(text, language, voice, product)));

        Assert.Equal(code, refused.Code);
        Assert.StartsWith(message, refused.Message, StringComparison.Ordinal);
        Assert.Empty(room.Library.ListScripts().Scripts);
    }

    [Fact]
    public async Task A_script_lines_action_is_stored_with_it_and_a_malformed_one_is_refused_naming_the_line()
    {
        await using var room = new ShowFixture(_db.Path);

        var refused = Assert.Throws<CommandRejectedException>(() => room.SaveScript("bad", new ScriptLine("fine"), new ScriptLine("hi", Action: "Wave!")));
        Assert.Equal(RejectionCode.InvalidInput, refused.Code);
        Assert.StartsWith("script line 2: action 'Wave!' is not an action name", refused.Message, StringComparison.Ordinal);
        Assert.Empty(room.Library.ListScripts().Scripts);

        var saved = room.SaveScript("ad", new ScriptLine("hello", Action: " wave "));
        Assert.Equal("wave", Assert.Single(room.Library.GetScript(saved.Id).Lines!).Action);
    }

    [Fact]
    public async Task A_script_line_naming_an_existing_product_is_stored_and_plays_with_it()
    {
        await using var room = new ShowFixture(_db.Path);
        var product = room.Products.Save(new Product(null, "Mug", 9.5m, "usd"));
        var script = room.SaveScript("ad", new ScriptLine("buy the mug", Product: product.Id));

        await room.Show.PlayAsync(script, ScriptMode.Loop);
        room.Ticks(1);

        Assert.Equal(product.Id, room.Engine.CurrentLine?.Product);
        var onAir = room.Engine.Snapshot().Product;
        Assert.Equal(new ProductOnAir(product.Id!, "Mug", ProductShownBy.Line, null), onAir);
    }

    [Fact]
    public async Task Plain_text_import_makes_one_line_per_non_blank_line_and_export_gives_them_back()
    {
        await using var room = new ShowFixture(_db.Path);
        var imported = ScriptText.Parse("first line\r\n\r\n  second line  \nthird\n", "from text", "en");

        var saved = room.Library.SaveScript(imported);

        Assert.Equal(["first line", "second line", "third"], saved.Lines!.Select(l => l.Text));
        Assert.Equal("first line\nsecond line\nthird\n", ScriptText.Format(room.Library.GetScript(saved.Id)));
    }

    [Fact]
    public async Task Deleting_the_looping_script_stops_the_loop_after_the_line_on_air()
    {
        await using var room = new ShowFixture(_db.Path);
        var script = room.SaveScript("ad", new ScriptLine("one"), new ScriptLine("two"));
        await room.Show.PlayAsync(script, ScriptMode.Loop);
        room.Ticks(1);

        room.Library.DeleteScript(script.Id);
        room.Ticks(40);

        Assert.Null(room.Engine.Snapshot().Script);
        Assert.Equal(["one"], room.Events.Finished.Select(l => l.Text));
    }

    [Fact]
    public async Task An_enqueued_line_naming_an_unknown_product_is_refused_and_nothing_is_queued()
    {
        await using var room = new ShowFixture(_db.Path);

        var refused = await Assert.ThrowsAsync<CommandRejectedException>(async () =>
            await room.Controller.EnqueueAsync(new LineRequest(null, "hello") { Product = "nope" }));

        Assert.Equal(RejectionCode.UnknownProduct, refused.Code);
        Assert.Empty(room.Controller.GetState().Queue);
        Assert.Empty(room.Store.LoadUnfinished("main"));
    }
}
