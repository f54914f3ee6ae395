using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Tests.Doubles;
using LiveHost.Media;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.Engine.Tests;

/// <summary>A room wired like the host wires it, around test doubles for speech, drawing and encoding.</summary>
public sealed class RoomFixture : IAsyncDisposable
{
    public RoomFixture(string databasePath, int fps = 25, int lineMilliseconds = 1000, string language = "en")
    {
        Format = new MediaFormat(320, 240, fps);
        Store = new SqliteLineStore(databasePath);
        Speech = new ToneSynthesizer(lineMilliseconds);
        Encoder = new RecordingEncoder(Format);
        var options = new EngineOptions();
        var definition = new RoomDefinition("main", language, Format);
        Engine = new RoomEngine(definition, Queue, Store, Speech, Composer, Encoder, Events, options, TimeProvider.System, NullLogger<RoomEngine>.Instance);
        Controller = new RoomController(Engine, Queue, Store, new LineRequestValidator(Speech, options), Events, options, TimeProvider.System);
        foreach (var line in Store.LoadUnfinished("main")) Queue.AddLast(line, () => { });
    }

    public MediaFormat Format { get; }
    public SqliteLineStore Store { get; }
    public LineQueue Queue { get; } = new();
    public ToneSynthesizer Speech { get; }
    public RecordingEncoder Encoder { get; }
    public RecordingComposer Composer { get; } = new();
    public RecordingEvents Events { get; } = new();
    public RoomEngine Engine { get; }
    public RoomController Controller { get; }

    public void Ticks(int count)
    {
        for (var i = 0; i < count; i++) Engine.Tick();
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        Store.Dispose();
    }
}
