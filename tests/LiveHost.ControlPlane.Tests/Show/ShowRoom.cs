using LiveHost.Avatars;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Playback;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using LiveHost.Media;
using LiveHost.Speech;
using LiveHost.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.ControlPlane.Tests.Show;

/// <summary>
/// The engine's real room "main" with its show (<see cref="ShowLibrary"/>, <see cref="RoomShow"/> as the filler,
/// <see cref="SqliteShowStore"/> in a temp database), as the host wires it; frames are not drawn and the encoder keeps
/// nothing. Register <see cref="Registry"/> and <see cref="Library"/> in the test host.
/// </summary>
public sealed class ShowRoom : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("livehost-cp-show-").FullName;

    public ShowRoom()
    {
        Store = new SqliteLineStore(Path.Combine(_folder, "livehost.db"));
        Journal = new StorageJournal(Store, Store, new JournalOptions(), TimeProvider.System, NullLogger<StorageJournal>.Instance);
        var showStore = new SqliteShowStore(Store);
        Writer = new RoomScriptWriter(showStore, NullLogger<RoomScriptWriter>.Instance);
        var options = new EngineOptions();
        var speech = new OneVoice();
        var products = new ProductCatalog(showStore, new LiveHost.Avatars.Products.SkiaProductImageNormalizer(), TimeProvider.System);
        var validator = new LineRequestValidator(speech, options, products);
        Library = new ShowLibrary(showStore, products, new ScriptValidator(validator), Writer, TimeProvider.System);
        Show = Library.AddRoom("main", "en");
        var format = new MediaFormat(160, 120, 25);
        Engine = new RoomEngine(new RoomDefinition("main", "en", format), Queue, Journal, speech, new NoDrawing(), new AudioKeepingEncoder(format),
            Events, options, TimeProvider.System, NullLogger<RoomEngine>.Instance, new InlineTaskScheduler(), filler: Show);
        Controller = new RoomController(Engine, Queue, Journal, validator, Events, options, TimeProvider.System);
        Show.Attach(Controller, Events);
        Registry.Add(Controller);
    }

    public SqliteLineStore Store { get; }
    public StorageJournal Journal { get; }
    public RoomScriptWriter Writer { get; }
    public ShowLibrary Library { get; }
    public RoomShow Show { get; }
    public LineQueue Queue { get; } = new();
    public RoomEngine Engine { get; }
    public RoomController Controller { get; }
    public RoomRegistry Registry { get; } = new();
    public StartedLines Events { get; } = new();

    public void Ticks(int count)
    {
        for (var i = 0; i < count; i++) Engine.Tick();
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Writer.DisposeAsync();
        await Journal.DisposeAsync();
        Store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>TEST DOUBLE: one voice (for en and zh) that says nothing: these tests look at commands, not sound.</summary>
    private sealed class OneVoice : ISpeechSynthesizer
    {
        private static readonly VoiceInfo Voice = new("none", "en", "none", true);

        public IReadOnlyList<VoiceInfo> Voices { get; } = [Voice];

        public bool TryResolveVoice(string language, string? voiceId, out VoiceInfo voice)
        {
            voice = Voice;
            return language is "en" or "zh" && voiceId is null or "none";
        }

        public SpeechStream Start(SpeechRequest request)
        {
            var stream = new SpeechStream(request, Voice);
            stream.Writer.TryComplete();
            return stream;
        }
    }

    private sealed class NoDrawing : IFrameComposer
    {
        public string Label => "AI-generated";

        public void Compose(in AvatarFrame frame, string? caption, byte[] bgra) { }

        public void Dispose() { }
    }

    /// <summary>Keeps the lines that started, in order; ignores the other events.</summary>
    public sealed class StartedLines : IRoomEventSink
    {
        public System.Collections.Concurrent.ConcurrentQueue<Line> Started { get; } = new();
        public void LineQueued(Line line) { }
        public void LineStarted(Line line) => Started.Enqueue(line);
        public void LineFinished(Line line) { }
        public void StateChanged(RoomState state) { }
    }
}
