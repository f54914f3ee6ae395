using System.Threading.Channels;
using LiveHost.Avatars;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Rooms;
using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;

namespace LiveHost.Host.Tests.Rooms;

/// <summary>
/// SetPresenter on the host's own room (<see cref="LiveRoom"/>, wired as Program.cs wires it, its clock driven by the
/// test): when a switch happens, how it is drawn, and what a refusal leaves alone.
/// </summary>
public sealed partial class PresenterSwitchTests : IAsyncLifetime
{
    private const int Width = 320;
    private const int Height = 180;
    private readonly string _folder = Directory.CreateTempSubdirectory("livehost-presenter-").FullName;
    private readonly RecordedEvents _events = new();
    private SqliteLineStore _store = null!;
    private StorageJournal _journal = null!;
    private LiveRoom _room = null!;

    public Task InitializeAsync()
    {
        _store = new SqliteLineStore(Path.Combine(_folder, "livehost.db"));
        _journal = new StorageJournal(_store, _store, new JournalOptions(), TimeProvider.System, NullLogger<StorageJournal>.Instance);
        _room = new LiveRoom("main", new RoomOptions { Width = Width, Height = Height, Fps = 25 }, _journal, new TwoVoiceSpeech(), _events,
            new EngineOptions(), NullLoggerFactory.Instance, TimeProvider.System);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _room.DisposeAsync();
        await _journal.DisposeAsync();
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Switching_now_cross_fades_to_the_new_look_within_a_third_of_a_second_and_the_state_names_it()
    {
        var buffer = new byte[Width * Height * 4];
        Compose(0, buffer);
        var before = ChestColour(buffer);
        Assert.True(Distance(before, CartoonLook.Classic.Jacket) < 40, $"chest {before} before the switch");

        var state = await _room.Controller.SetPresenterAsync(new PresenterRequest("cartoon-b", Now: true));
        Assert.Equal("cartoon-b", state.Presenter);
        Assert.Empty(state.Queue);

        // Frames 1.. follow at 25 fps: the old jacket fades into the new one over 0.32 s (8 frames), never cut at once.
        var blends = new List<float>();
        var colours = new List<SKColor>();
        for (var frame = 1; frame <= 10; frame++)
        {
            Compose(frame, buffer);
            blends.Add(_room.Presenter.Switcher.LastBlend);
            colours.Add(ChestColour(buffer));
        }
        Assert.True(blends[0] < 0.2f, $"the first frame after the switch already shows {blends[0]:P0} of the new presenter");
        Assert.Equal(blends.Order(), blends);
        Assert.Equal(1f, blends[8]);
        Assert.True(Distance(colours[0], CartoonLook.Classic.Jacket) < Distance(colours[0], CartoonLook.Second.Jacket), $"frame 1: {colours[0]}");
        var middle = colours[3];
        Assert.True(Distance(middle, CartoonLook.Classic.Jacket) > 25 && Distance(middle, CartoonLook.Second.Jacket) > 25,
            $"frame 4 ({blends[3]:P0}) shows {middle}: one of the jackets, not a blend of both");
        Assert.True(Distance(colours[^1], CartoonLook.Second.Jacket) < 40, $"after the fade the chest is {colours[^1]}");
        Assert.False(_room.Presenter.Switcher.Fading);
        Assert.Equal("cartoon-b", _room.Controller.GetState().Presenter);
    }

    [Fact]
    public async Task A_switch_waits_for_the_line_speaking_and_happens_before_the_next_line_starts()
    {
        var first = await _room.Controller.EnqueueAsync(new LineRequest(null, "the first line"));
        var second = await _room.Controller.EnqueueAsync(new LineRequest(null, "the second line"));
        _room.Engine.Tick();
        Assert.Equal(first.Id, _room.Engine.CurrentLine?.Id);

        var state = await _room.Controller.SetPresenterAsync(new PresenterRequest("cartoon-fullbody"));
        Assert.Equal("cartoon", state.Presenter);
        Assert.Equal([LineKind.Presenter, LineKind.Text], state.Queue.Select(l => l.Kind));
        Assert.Equal("cartoon-fullbody", state.Queue[0].Text);

        // Tick until the first line ends: the presenter stays until then, and is switched on the tick the next line starts.
        var ticks = 0;
        while (_room.Engine.CurrentLine?.Id == first.Id && ticks++ < 100)
        {
            Assert.Equal("cartoon", _room.Controller.GetState().Presenter);
            _room.Engine.Tick();
        }
        if (_room.Engine.CurrentLine is null) _room.Engine.Tick();
        Assert.Equal(second.Id, _room.Engine.CurrentLine?.Id);
        Assert.Equal("cartoon-fullbody", _room.Controller.GetState().Presenter);

        var order = _events.Drain().Where(e => e.Kind is "started" or "finished").Select(e => $"{e.Kind} {e.Line!.Kind} {e.Line.Reason}").ToList();
        Assert.Equal(["started Text ", "finished Text Completed", "started Presenter ", "finished Presenter Completed", "started Text "], order);
    }

    [Fact]
    public async Task A_scheduled_switch_goes_to_the_front_at_its_moment_and_is_shown_between_lines()
    {
        var at = DateTimeOffset.UtcNow.AddMilliseconds(700);
        var state = await _room.Controller.SetPresenterAsync(new PresenterRequest("cartoon-b", At: at));
        var scheduled = Assert.Single(state.Scheduled);
        Assert.Equal(LineKind.Presenter, scheduled.Kind);
        Assert.Equal("cartoon", state.Presenter);

        // The schedule's timer puts it in the queue at its moment (a StateChanged says so); the next tick shows it.
        await _events.WaitForStateAsync(s => s.Queue.Any(l => l.Kind == LineKind.Presenter), TimeSpan.FromSeconds(20));
        Assert.True(DateTimeOffset.UtcNow >= at.AddMilliseconds(-50));
        _room.Engine.Tick();
        var after = _room.Controller.GetState();
        Assert.Equal("cartoon-b", after.Presenter);
        Assert.Empty(after.Queue);
        Assert.Empty(after.Scheduled);
    }

    [Fact]
    public async Task A_new_default_voice_goes_to_lines_accepted_after_the_switch_and_those_before_keep_theirs()
    {
        var before = await _room.Controller.EnqueueAsync(new LineRequest(null, "before the switch"));
        var state = await _room.Controller.SetPresenterAsync(new PresenterRequest("cartoon-b", Voice: "second", Now: true));
        Assert.Equal("second", state.Voice);
        var after = await _room.Controller.EnqueueAsync(new LineRequest(null, "after the switch"));
        var named = await _room.Controller.EnqueueAsync(new LineRequest(null, "a voice of its own", Voice: "first"));

        var queue = _room.Controller.GetState().Queue.ToDictionary(l => l.Id, l => l.Voice);
        Assert.Equal("first", queue[before.Id]);
        Assert.Equal("second", queue[after.Id]);
        Assert.Equal("first", queue[named.Id]);
    }

    [Fact]
    public async Task A_newer_waiting_switch_replaces_the_one_waiting_before_it()
    {
        await _room.Controller.EnqueueAsync(new LineRequest(null, "speaking"));
        _room.Engine.Tick();
        await _room.Controller.SetPresenterAsync(new PresenterRequest("cartoon-b"));
        var state = await _room.Controller.SetPresenterAsync(new PresenterRequest("cartoon-fullbody"));

        var waiting = Assert.Single(state.Queue);
        Assert.Equal("cartoon-fullbody", waiting.Text);
        Assert.Contains(_events.Drain(), e => e is { Kind: "finished", Line: { Text: "cartoon-b", Reason: FinishReason.Removed } });
    }

    [Theory]
    [InlineData("cartoon-z", null, false, RejectionCode.UnknownAvatar, "unknown avatar 'cartoon-z'")]
    [InlineData("/nowhere/package", null, false, RejectionCode.UnknownAvatar, "avatar package directory")]
    [InlineData(" ", null, false, RejectionCode.InvalidInput, "avatar is required")]
    [InlineData("cartoon-b", "robot", false, RejectionCode.UnknownVoice, "unknown voice 'robot'")]
    [InlineData("cartoon-b", null, true, RejectionCode.InvalidInput, "now and at cannot be used together")]
    public async Task A_refused_switch_says_why_and_changes_nothing(string avatar, string? voice, bool nowAndAt, RejectionCode code, string message)
    {
        await _room.Controller.EnqueueAsync(new LineRequest(null, "waiting"));
        var before = _room.Controller.GetState();
        var request = new PresenterRequest(avatar, voice, nowAndAt ? true : null, nowAndAt ? DateTimeOffset.UtcNow.AddMinutes(1) : null);

        var refused = await Assert.ThrowsAsync<CommandRejectedException>(() => _room.Controller.SetPresenterAsync(request).AsTask());

        Assert.Equal(code, refused.Code);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        var after = _room.Controller.GetState();
        Assert.Equal(before.Presenter, after.Presenter);
        Assert.Equal(before.Voice, after.Voice);
        Assert.Equal(before.Queue.Select(l => l.Id), after.Queue.Select(l => l.Id));
        Assert.Empty(after.Scheduled);
        _room.Engine.Tick();
        Assert.False(_room.Presenter.Switcher.Fading);
        Assert.Equal("cartoon", _room.Presenter.Switcher.Id);
    }

    private void Compose(long frame, byte[] buffer) =>
        _room.Composer.Compose(new AvatarFrame(frame, frame / 25.0, Viseme.Silence, 0, false), null, buffer);

    // The mean colour of the presenter's chest (left of the lapels), where the looks' blazers differ.
    private static SKColor ChestColour(byte[] bgra) =>
        FrameColours.Mean(bgra, Width, CartoonLayout.For(Width, Height).ToPixels(new SKRect(-250, -320, -150, -150)));

    private static double Distance(SKColor a, SKColor b) => FrameColours.Distance(a, b);

    /// <summary>TEST DOUBLE: two English voices whose lines are 200 ms of a quiet tone, there at once.</summary>
    private sealed class TwoVoiceSpeech : ISpeechSynthesizer
    {
        public IReadOnlyList<VoiceInfo> Voices { get; } = [new("first", "en", "first", true), new("second", "en", "second", false)];

        public bool TryResolveVoice(string language, string? voiceId, out VoiceInfo voice)
        {
            voice = Voices.FirstOrDefault(v => v.Language == language && (voiceId is null ? v.IsDefault : v.Id == voiceId))!;
            return voice is not null;
        }

        public SpeechStream Start(SpeechRequest request)
        {
            TryResolveVoice(request.Language, request.Voice, out var voice);
            var stream = new SpeechStream(request, voice);
            var samples = new short[48 * 200];
            for (var i = 0; i < samples.Length; i++) samples[i] = (short)(3000 * Math.Sin(2 * Math.PI * 220 * i / 48000.0));
            stream.Writer.TryWrite(new SpeechChunk(samples, []));
            stream.Writer.TryComplete();
            return stream;
        }
    }

    private sealed record RoomEventRecord(string Kind, Line? Line, RoomState? State);

    private sealed class RecordedEvents : IRoomEventSink
    {
        private readonly Channel<RoomEventRecord> _all = Channel.CreateUnbounded<RoomEventRecord>();
        private readonly Channel<RoomState> _states = Channel.CreateUnbounded<RoomState>();

        public void LineQueued(Line line) => _all.Writer.TryWrite(new("queued", line, null));
        public void LineStarted(Line line) => _all.Writer.TryWrite(new("started", line, null));
        public void LineFinished(Line line) => _all.Writer.TryWrite(new("finished", line, null));

        public void StateChanged(RoomState state)
        {
            _all.Writer.TryWrite(new("state", null, state));
            _states.Writer.TryWrite(state);
        }

        public List<RoomEventRecord> Drain()
        {
            var list = new List<RoomEventRecord>();
            while (_all.Reader.TryRead(out var e)) list.Add(e);
            return list;
        }

        public async Task<RoomState> WaitForStateAsync(Func<RoomState, bool> match, TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            await foreach (var state in _states.Reader.ReadAllAsync(cancel.Token))
            {
                if (match(state)) return state;
            }
            throw new InvalidOperationException("the event stream ended");
        }
    }
}
