using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Tests.Doubles;
using LiveHost.Media;
using LiveHost.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.Engine.Tests;

/// <summary>
/// A room wired like the host wires it, around test doubles for speech, drawing and encoding. Audio clips are read
/// inline (<see cref="InlineTaskScheduler"/>) unless a test passes its own scheduler, so hand-driven ticks see them.
/// </summary>
public sealed class RoomFixture : IAsyncDisposable
{
    public RoomFixture(string databasePath, int fps = 25, int lineMilliseconds = 1000, string language = "en", bool faults = false,
        TaskScheduler? clipReads = null, TimeProvider? time = null, LiveHost.Engine.Moderation.ILinePolicy? policy = null,
        EngineOptions? options = null, LiveHost.Speech.ISpeechSynthesizer? speech = null)
    {
        var clock = time ?? TimeProvider.System;
        Format = new MediaFormat(320, 240, fps);
        Store = new SqliteLineStore(databasePath);
        Faults = faults ? new FaultyStore(Store) : null;
        Journal = Faults is { } faulty
            ? new StorageJournal(faulty, faulty, new JournalOptions { RetryInterval = TimeSpan.FromMilliseconds(50) }, TimeProvider.System, NullLogger<StorageJournal>.Instance)
            : new StorageJournal(Store, Store, new JournalOptions { RetryInterval = TimeSpan.FromMilliseconds(50) }, TimeProvider.System, NullLogger<StorageJournal>.Instance);
        Speech = new ToneSynthesizer(lineMilliseconds);
        Encoder = new RecordingEncoder(Format);
        // The tick-aligned engine (audio and picture of a tick together) is what these tests pin; AudioLeadTests cover
        // Engine:AudioLeadMilliseconds, whose default places the audio ahead.
        options ??= new EngineOptions { AudioLeadMilliseconds = 0 };
        var definition = new RoomDefinition("main", language, Format);
        // As the host does: the lines left from before a restart wait in the queue before the room's controller starts.
        foreach (var line in Store.LoadUnfinished("main")) Queue.AddLast(line, () => { });
        Engine = new RoomEngine(definition, Queue, Journal, speech ?? Speech, Composer, Encoder, Events, options, clock, NullLogger<RoomEngine>.Instance,
            clipReads ?? new InlineTaskScheduler());
        Controller = new RoomController(Engine, Queue, Journal, new LineRequestValidator(speech ?? Speech, options), Events, options, clock, policy: policy);
    }

    public MediaFormat Format { get; }
    public SqliteLineStore Store { get; }
    public StorageJournal Journal { get; }

    /// <summary>The fault switch between the journal and the real store, when the fixture was made with <c>faults: true</c>.</summary>
    public FaultyStore? Faults { get; }
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

    /// <summary>
    /// Gives a command that the engine applies on its next tick (Skip, Pause, Resume), produces that tick and the
    /// <paramref name="more"/> after it, and returns once the command has answered.
    /// </summary>
    public async Task CommandAsync(Func<RoomController, ValueTask> command, int more = 0)
    {
        var answered = command(Controller).AsTask();
        Ticks(1 + more);
        await answered;
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        Faults?.Hang.Set();
        await Journal.DisposeAsync();
        Store.Dispose();
    }
}
