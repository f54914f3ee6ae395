using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using LiveHost.Host.Rooms;
using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHost.Host.Tests.Show;

/// <summary>
/// The host's own room (<see cref="LiveRoom"/>) wired with a show library, as Program.cs wires it: the product card and
/// the script loop reach the frames the room hands its one encoder (which feeds both WebRTC and RTMP).
/// </summary>
public sealed class LiveRoomShowTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("livehost-host-show-").FullName;
    private SqliteLineStore _store = null!;
    private StorageJournal _journal = null!;
    private RoomScriptWriter _writer = null!;
    private ShowLibrary _library = null!;
    private LiveRoom _room = null!;

    public Task InitializeAsync()
    {
        _store = new SqliteLineStore(Path.Combine(_folder, "livehost.db"));
        _journal = new StorageJournal(_store, _store, new JournalOptions(), TimeProvider.System, NullLogger<StorageJournal>.Instance);
        var shows = new SqliteShowStore(_store);
        _writer = new RoomScriptWriter(shows, NullLogger<RoomScriptWriter>.Instance);
        var speech = new SilentSpeech();
        var catalog = new ProductCatalog(shows, new LiveHost.Avatars.Products.SkiaProductImageNormalizer(), TimeProvider.System);
        _library = new ShowLibrary(shows, catalog, new ScriptValidator(new LineRequestValidator(speech, new EngineOptions(), catalog)), _writer, TimeProvider.System);
        _room = new LiveRoom("main", new RoomOptions { Width = 640, Height = 360, Fps = 25 }, _journal, speech, new NoEvents(), new EngineOptions(),
            NullLoggerFactory.Instance, TimeProvider.System, show: _library);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _room.DisposeAsync();
        await _writer.DisposeAsync();
        await _journal.DisposeAsync();
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_product_shown_in_the_room_is_drawn_into_its_composited_frames_until_hidden()
    {
        var compositor = ((CompositorFrameComposer)_room.Composer).Compositor;
        var product = _library.Products.Save(new Product(null, "保温杯", 199m, "CNY", ["12 h hot"]));

        _library.ShowProduct("main", product.Id, countdownSeconds: 300);
        _room.Engine.Tick();

        Assert.Equal(product.Id, _room.Controller.GetState().Product?.Id);
        Assert.InRange(compositor.Card!.Value.SecondsLeft!.Value, 299, 300);
        Assert.False(compositor.CardOverlay.LastBox.IsEmpty);

        _library.HideProduct("main");
        _room.Engine.Tick();
        Assert.Null(compositor.Card);
        Assert.Null(_room.Controller.GetState().Product);
    }

    [Fact]
    public async Task A_script_line_naming_a_product_shows_its_card_while_it_plays_in_the_room()
    {
        var compositor = ((CompositorFrameComposer)_room.Composer).Compositor;
        var product = _library.Products.Save(new Product(null, "Mug", 9m, "USD"));
        var script = _library.SaveScript(new Script(null, "ad", [new ScriptLine("buy the mug", Product: product.Id)]));

        await _library.PlayScriptAsync("main", script.Id, "loop");
        _room.Engine.Tick();

        Assert.Equal(product.Id, compositor.Card?.Content.Key.Split('#')[0]);
        Assert.Equal(ProductShownBy.Line, _room.Controller.GetState().Product?.ShownBy);
    }

    /// <summary>TEST DOUBLE: one voice whose lines never end (no audio ever arrives), so a line stays on air.</summary>
    private sealed class SilentSpeech : ISpeechSynthesizer
    {
        private static readonly VoiceInfo Voice = new("silent", "en", "silent", true);

        public IReadOnlyList<VoiceInfo> Voices { get; } = [Voice];

        public bool TryResolveVoice(string language, string? voiceId, out VoiceInfo voice)
        {
            voice = Voice;
            return voiceId is null;
        }

        public SpeechStream Start(SpeechRequest request) => new(request, Voice);
    }

    private sealed class NoEvents : IRoomEventSink
    {
        public void LineQueued(Line line) { }
        public void LineStarted(Line line) { }
        public void LineFinished(Line line) { }
        public void StateChanged(RoomState state) { }
    }
}
