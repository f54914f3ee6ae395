using LiveHost.Avatars.Products;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using LiveHost.Engine.Tests.Doubles;
using LiveHost.Media;
using LiveHost.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.Engine.Tests.Show;

/// <summary>
/// A room wired like <c>LiveRoom</c> wires it with its show (the real <see cref="ShowLibrary"/>, <see cref="RoomShow"/>
/// as the engine's filler, <see cref="SqliteShowStore"/> in the lines' database), around the engine tests' doubles for
/// speech, drawing and encoding. The engine's and the show's clock is a <see cref="FakeTimeProvider"/>; tests tick by hand.
/// </summary>
public sealed class ShowFixture : IAsyncDisposable
{
    public ShowFixture(string databasePath, int lineMilliseconds = 200)
    {
        var format = new MediaFormat(320, 240, 25);
        Store = new SqliteLineStore(databasePath);
        Journal = new StorageJournal(Store, Store, new JournalOptions(), TimeProvider.System, NullLogger<StorageJournal>.Instance);
        ShowStore = new SqliteShowStore(Store);
        Writer = new RoomScriptWriter(ShowStore, NullLogger<RoomScriptWriter>.Instance);
        Speech = new ToneSynthesizer(lineMilliseconds);
        var options = new EngineOptions();
        Products = new ProductCatalog(ShowStore, new SkiaProductImageNormalizer(), Time);
        var validator = new LineRequestValidator(Speech, options, Products);
        Library = new ShowLibrary(ShowStore, Products, new ScriptValidator(validator), Writer, Time);
        Show = Library.AddRoom("main", "en");
        foreach (var line in Store.LoadUnfinished("main")) Queue.AddLast(line, () => { });
        Engine = new RoomEngine(new RoomDefinition("main", "en", format), Queue, Journal, Speech, Composer, new RecordingEncoder(format), Events, options,
            Time, NullLogger<RoomEngine>.Instance, new InlineTaskScheduler(), filler: Show);
        Controller = new RoomController(Engine, Queue, Journal, validator, Events, options, Time);
        Show.Attach(Controller, Events);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    public SqliteLineStore Store { get; }
    public StorageJournal Journal { get; }
    public SqliteShowStore ShowStore { get; }
    public RoomScriptWriter Writer { get; }
    public ToneSynthesizer Speech { get; }
    public ProductCatalog Products { get; }
    public ShowLibrary Library { get; }
    public RoomShow Show { get; }
    public LineQueue Queue { get; } = new();
    public RecordingComposer Composer { get; } = new();
    public RecordingEvents Events { get; } = new();
    public RoomEngine Engine { get; }
    public RoomController Controller { get; }

    public void Ticks(int count)
    {
        for (var i = 0; i < count; i++) Engine.Tick();
    }

    /// <summary>Ticks until <paramref name="done"/> holds (at most <paramref name="limit"/> ticks); returns the ticks made.</summary>
    public int TickUntil(Func<bool> done, int limit = 2000)
    {
        var ticks = 0;
        while (!done())
        {
            Assert.True(ticks < limit, $"not done after {limit} ticks");
            Engine.Tick();
            ticks++;
        }
        return ticks;
    }

    public Script SaveScript(string name, params ScriptLine[] lines) => Library.SaveScript(new Script(null, name, lines));

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Writer.DisposeAsync();
        await Journal.DisposeAsync();
        Store.Dispose();
    }
}
