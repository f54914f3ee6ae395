using LiveHost.Avatars;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Playback;
using LiveHost.Engine.Rooms;
using LiveHost.Media;
using LiveHost.Speech;
using LiveHost.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.ControlPlane.Tests;

/// <summary>
/// The engine's real room (RoomController, RoomEngine, LineQueue, SqliteLineStore in a temp folder) named "main",
/// with test doubles only where media would leave it: no synthesizer voice is used by audio lines, frames are not
/// drawn, and the encoder keeps the audio it is handed. Tests drive its clock with <see cref="Ticks"/>.
/// </summary>
public sealed class EngineRoom : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("livehost-cp-audio-").FullName;

    public EngineRoom(EngineOptions? engineOptions = null, LiveHost.Engine.Moderation.ILinePolicy? policy = null)
    {
        Store = new SqliteLineStore(Path.Combine(_folder, "livehost.db"));
        Journal = new StorageJournal(Store, Store, new JournalOptions(), TimeProvider.System, NullLogger<StorageJournal>.Instance);
        var options = engineOptions ?? new EngineOptions();
        var speech = new NoSpeech();
        Engine = new RoomEngine(new RoomDefinition("main", "en", new MediaFormat(160, 120, 25)), Queue, Journal, speech, new NoDrawing(), Encoder,
            Events, options, TimeProvider.System, NullLogger<RoomEngine>.Instance, new InlineTaskScheduler());
        Controller = new RoomController(Engine, Queue, Journal, new LineRequestValidator(speech, options), Events, options, TimeProvider.System, policy: policy);
        Registry.Add(Controller);
    }

    public SqliteLineStore Store { get; }
    public StorageJournal Journal { get; }
    public LineQueue Queue { get; } = new();

    /// <summary>Where the room's events go: nowhere until a test points <see cref="ForwardingEvents.Target"/> at the host's sink.</summary>
    public ForwardingEvents Events { get; } = new();
    public AudioKeepingEncoder Encoder { get; } = new(new MediaFormat(160, 120, 25));
    public RoomEngine Engine { get; }
    public RoomController Controller { get; }
    public RoomRegistry Registry { get; } = new();

    public void Ticks(int count)
    {
        for (var i = 0; i < count; i++) Engine.Tick();
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Journal.DisposeAsync();
        Store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>TEST DOUBLE: one English voice that says nothing (text lines are not what these tests send).</summary>
    private sealed class NoSpeech : ISpeechSynthesizer
    {
        private static readonly VoiceInfo Voice = new("none", "en", "none", true);

        public IReadOnlyList<VoiceInfo> Voices { get; } = [Voice];

        public bool TryResolveVoice(string language, string? voiceId, out VoiceInfo voice)
        {
            voice = Voice;
            return language == "en" && voiceId is null or "none";
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

    /// <summary>Passes the room's events to <see cref="Target"/> once set (the host's sink exists only after the room).</summary>
    public sealed class ForwardingEvents : IRoomEventSink
    {
        public IRoomEventSink? Target { get; set; }

        public void LineQueued(Line line) => Target?.LineQueued(line);
        public void LineStarted(Line line) => Target?.LineStarted(line);
        public void LineFinished(Line line) => Target?.LineFinished(line);
        public void StateChanged(RoomState state) => Target?.StateChanged(state);
        public void QueueChanged(string room, IReadOnlyList<string> lineIds) => Target?.QueueChanged(room, lineIds);
    }
}

/// <summary>TEST DOUBLE for the room encoder (the real one runs ffmpeg): keeps every sample it is handed.</summary>
public sealed class AudioKeepingEncoder(MediaFormat format) : IRoomEncoder
{
    public List<short> Audio { get; } = [];
    public MediaBroadcaster Output { get; } = new(format);
    public long DroppedVideoFrames => 0;

    public bool Write(RawMediaTick tick)
    {
        Audio.AddRange(tick.Samples);
        tick.ReturnPixels();
        return true;
    }

    public void RequestKeyframe() { }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
