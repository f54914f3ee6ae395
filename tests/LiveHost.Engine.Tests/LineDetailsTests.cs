using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Tests.Doubles;

namespace LiveHost.Engine.Tests;

/// <summary>What a line carries beyond its text: its length once known, where it came from, the product it shows.</summary>
public sealed class LineDetailsTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task LineStarted_carries_the_lines_duration_when_its_audio_is_all_there()
    {
        await using var room = new RoomFixture(_db.Path, lineMilliseconds: 750);
        await room.Controller.EnqueueAsync(new LineRequest(null, "three quarters"));

        room.Ticks(1);

        Assert.Equal(750, Assert.Single(room.Events.Started).DurationMs);
        Assert.Equal(750, room.Controller.GetState().Current?.DurationMs);
    }

    [Fact]
    public async Task A_typed_line_is_live_and_a_script_line_keeps_its_source_and_script_through_a_restart()
    {
        string live, script;
        await using (var before = new RoomFixture(_db.Path))
        {
            live = (await before.Controller.EnqueueAsync(new LineRequest(null, "typed"))).Id;
            script = (await before.Controller.EnqueueAsync(new LineRequest(null, "from the script", Product: "sku-1"),
                new LineOrigin(LineSources.Script, "script-7"))).Id;
        }

        await using var after = new RoomFixture(_db.Path);
        var lines = after.Queue.Snapshot();
        Assert.Equal((live, "live", (string?)null, (string?)null), (lines[0].Id, lines[0].Source, lines[0].ScriptId, lines[0].Product));
        Assert.Equal((script, "script", "script-7", "sku-1"), (lines[1].Id, lines[1].Source, lines[1].ScriptId, lines[1].Product));
    }

    [Fact]
    public void An_unknown_product_is_refused_when_there_is_a_product_catalog()
    {
        var validator = new LineRequestValidator(new ToneSynthesizer(), new EngineOptions(), new Catalog("sku-1"));

        var refused = Assert.Throws<CommandRejectedException>(() => validator.Validate(new LineRequest(null, "buy it", Product: "sku-404"), "en"));
        var known = validator.Validate(new LineRequest(null, "buy it", Product: " sku-1 "), "en");

        Assert.Equal(RejectionCode.UnknownProduct, refused.Code);
        Assert.Contains("sku-404", refused.Message, StringComparison.Ordinal);
        Assert.Equal("sku-1", known.Product);
    }

    [Fact]
    public void Without_a_product_catalog_any_well_formed_product_id_is_carried()
    {
        var validator = new LineRequestValidator(new ToneSynthesizer(), new EngineOptions());

        Assert.Equal("anything", validator.Validate(new LineRequest(null, "buy it", Product: "anything"), "en").Product);
        Assert.Equal(RejectionCode.InvalidInput,
            Assert.Throws<CommandRejectedException>(() => validator.Validate(new LineRequest(null, "buy it", Product: "  "), "en")).Code);
    }

    private sealed class Catalog(params string[] ids) : IProductCatalog
    {
        public bool Contains(string productId) => ids.Contains(productId);
    }
}
