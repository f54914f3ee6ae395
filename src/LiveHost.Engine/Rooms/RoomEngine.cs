using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using LiveHost.Avatars;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Playback;
using LiveHost.Media;
using LiveHost.Speech;
using Microsoft.Extensions.Logging;

namespace LiveHost.Engine.Rooms;

/// <summary>
/// One room's media loop. Audio is the clock: tick n covers samples [n*S, (n+1)*S) with S = 48000/fps, and
/// carries video frame n. Each tick applies pending commands, takes the next line when idle (from the queue, or, with
/// nothing queued, from the room's <see cref="IRoomFiller"/>: a looping script), places the next S
/// samples of speech (or silence), draws the frame and hands both to the encoder, which never blocks it.
///
///   Idle ──take line──▶ Starting ──first audio──▶ Speaking ──audio done──▶ Idle
///                          │                         │ CueNow/Skip: fade out within this tick
///                          └──────────────▶──────────┴──▶ finished (interrupted | skipped | failed)
///   Pause silences (with a fade) and holds the line's position; Resume fades back in where it stopped.
///
/// The tick never touches the disk: what it records (line started, finished, paused) goes to the
/// <see cref="StorageJournal"/>, which returns at once. A paused room starts paused after a restart.
/// Commands posted with <see cref="ApplyAsync"/> complete once the tick has applied them (a skipped line is finished, a
/// paused room is paused), or fail when the room has stopped.
/// </summary>
public sealed partial class RoomEngine : IAsyncDisposable
{
    private readonly RoomDefinition _room;
    private readonly LineQueue _queue;
    private readonly StorageJournal _journal;
    private readonly ISpeechSynthesizer _speech;
    private readonly IFrameComposer _composer;
    private readonly IRoomEncoder _encoder;
    private readonly IRoomEventSink _events;
    private readonly EngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RoomEngine> _logger;
    private readonly Channel<PendingCommand> _commands = Channel.CreateUnbounded<PendingCommand>(new() { SingleReader = true });
    private readonly List<TaskCompletionSource> _applied = [];
    private readonly FrameBufferPool _pixels;
    private readonly int _fadeSamples;
    private readonly long _visemeLeadSamples;
    private readonly AvatarAudioContext _audioContext = new();

    // Audio is placed this many ticks ahead of the picture (Engine:AudioLeadMilliseconds): tick n draws frame n and
    // places the samples of tick n + lead, whose mouth waits here until frame n + lead is drawn. The caption does not
    // wait: it follows the cue (drawn on frame n), and after a line ends by itself it stays while its sound is drawn.
    private readonly PictureDelayLine _pictures;
    private readonly CaptionTail _captionTail;
    private readonly long _audioLeadStopwatchTicks;
    private readonly double _audioLeadMilliseconds;
    private readonly SpeechAhead _ahead;
    private volatile bool _aheadStale = true;

    // Lines whose synthesis the control plane started as it accepted them (Prepare); the tick adopts them into _ahead.
    private readonly ConcurrentQueue<LinePlayback> _prepared = new();

    // Where audio lines' clips are opened and read: never the tick (tests that drive the clock read them inline).
    private readonly TaskScheduler _clipReads;

    // Asked for a line when nothing is queued (a looping script); null: the room stays silent.
    private readonly IRoomFiller? _filler;

    // Shows presenters that SetPresenter prepared (null: the room cannot switch presenters).
    private readonly IPresenterStage? _presenter;
    private volatile string? _defaultVoice;

    private LinePlayback? _current;
    private volatile Line? _currentLine;
    private volatile bool _paused;
    private bool _silencedForPause;
    private FinishReason? _cut;
    private long _frameIndex;
    private long _lastComposedFrame = -1;

    // How late the loop began the tick it is producing (for TickTiming); 0 for a tick driven by hand.
    private double _tickStartLateMs;
    private CancellationTokenSource? _loopCancel;
    private Task? _loop;

    public RoomEngine(
        RoomDefinition room,
        LineQueue queue,
        StorageJournal journal,
        ISpeechSynthesizer speech,
        IFrameComposer composer,
        IRoomEncoder encoder,
        IRoomEventSink events,
        EngineOptions options,
        TimeProvider time,
        ILogger<RoomEngine> logger,
        TaskScheduler? clipReads = null,
        IRoomFiller? filler = null,
        IPresenterStage? presenter = null)
    {
        _room = room;
        _queue = queue;
        _journal = journal;
        _speech = speech;
        _composer = composer;
        _encoder = encoder;
        _events = events;
        _options = options;
        _time = time;
        _logger = logger;
        _clipReads = clipReads ?? TaskScheduler.Default;
        _filler = filler;
        _presenter = presenter;
        _pixels = new FrameBufferPool(room.Format.FrameBytes, maxRetained: 16);
        _fadeSamples = (int)(MediaFormat.AudioSampleRate * options.CutFadeMilliseconds / 1000);
        _visemeLeadSamples = (long)(MediaFormat.AudioSampleRate * options.VisemeLeadMilliseconds / 1000);
        _ahead = new SpeechAhead(speech, options);
        _pictures = new PictureDelayLine(AudioLeadTicks(options, room.Format));
        _captionTail = new CaptionTail(_pictures.Ticks);
        _audioLeadMilliseconds = _pictures.Ticks * room.Format.FrameDuration.TotalMilliseconds;
        _audioLeadStopwatchTicks = _pictures.Ticks * Stopwatch.Frequency / room.Format.FramesPerSecond;
        _queue.Changed += OnQueueChanged;
        // Read once, at construction (start-up), never on the tick.
        _paused = journal.Rooms.LoadRoomState(room.Name)?.Paused ?? false;
    }

    public RoomDefinition Room => _room;
    public RoomStatistics Statistics { get; } = new();
    public Line? CurrentLine => _currentLine;
    public bool Paused => _paused;
    public long FrameIndex => Interlocked.Read(ref _frameIndex);

    /// <summary>Ticks the audio is placed ahead of the picture: <c>Engine:AudioLeadMilliseconds</c> in whole ticks of this room.</summary>
    public int AudioLeadTicks() => _pictures.Ticks;

    /// <summary>The lead in whole ticks of <paramref name="format"/>, rounded to the nearest.</summary>
    public static int AudioLeadTicks(EngineOptions options, MediaFormat format)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(format);
        return (int)Math.Round(options.AudioLeadMilliseconds * format.FramesPerSecond / 1000);
    }

    public FrameBufferPool PixelPool => _pixels;

    /// <summary>The voice of lines in the room's language that name none (set by SetPresenter); null: the language's default.</summary>
    public string? DefaultVoice => _defaultVoice;

    /// <summary>Sets <see cref="DefaultVoice"/> (a switch shown at once); lines already accepted keep the voice they were given.</summary>
    public void SetDefaultVoice(string? voice) => _defaultVoice = voice;
    /// <summary>The queued lines this room synthesizes ahead of their turn (read on the loop only, or after it stopped).</summary>
    public SpeechAhead Ahead => _ahead;

    // Raised under the queue's lock: only marks the lines ahead for a refresh on the next tick.
    private void OnQueueChanged(IReadOnlyList<string> ids) => _aheadStale = true;

    /// <summary>
    /// Starts synthesizing <paramref name="line"/> now, on the caller's thread, rather than on the next tick: called by
    /// the controller once a text line is in the queue among the next <see cref="EngineOptions.SpeakAheadLines"/>
    /// (a cued line always is). Its first audio is then usually there when the tick takes it, and lands on that tick
    /// instead of the one after. The next tick hands it to <see cref="Ahead"/>, which frees it if the line has left
    /// the queue meanwhile. Safe from any thread; returns at once.
    /// </summary>
    public void Prepare(Line line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Kind != LineKind.Text || _options.SpeakAheadLines == 0) return;
        if (!_speech.TryResolveVoice(line.Language, line.Voice, out var voice)) return;
#pragma warning disable CA2000 // the queue owns it: the next tick hands it to Ahead, and stopping disposes what is left
        _prepared.Enqueue(new LinePlayback(line, _speech.Start(new SpeechRequest(line.Text, line.Language, voice.Id)), Stopwatch.GetTimestamp()));
#pragma warning restore CA2000
        _aheadStale = true;
    }

    /// <summary>Raised on the loop when a line's first audio sample is placed on the timeline (for benchmarks).</summary>
    public event Action<Line, long>? FirstAudioPlaced;

    /// <summary>Hands a command to the loop without waiting for it (ignored once the room has stopped).</summary>
    public void Post(RoomCommand command) => _commands.Writer.TryWrite(new PendingCommand(command, null));

    /// <summary>
    /// Hands a command to the loop; the task completes at the end of the tick that applied it, or fails with
    /// <see cref="CommandRejectedException"/> (<see cref="RejectionCode.Unavailable"/>) when the room has stopped.
    /// </summary>
    public Task ApplyAsync(RoomCommand command)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_commands.Writer.TryWrite(new PendingCommand(command, done))) done.TrySetException(Stopped());
        return done.Task;
    }

    private CommandRejectedException Stopped() =>
        new(RejectionCode.Unavailable, $"room '{_room.Name}' is stopped and takes no commands");

    // Refuses whatever is still waiting and everything posted from now on: nothing will apply it.
    private void CloseCommands()
    {
        _commands.Writer.TryComplete();
        while (_commands.Reader.TryRead(out var pending)) pending.Done?.TrySetException(Stopped());
    }

    /// <summary>
    /// Starts ticking in real time on the room's own thread: a real-time loop owns its thread, so work queued on the
    /// thread pool (or a pool starved by it) never delays a tick.
    /// </summary>
    public void Start()
    {
        _loopCancel = new CancellationTokenSource();
        var token = _loopCancel.Token;
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop = ended.Task;
        var thread = new Thread(() =>
        {
            try
            {
                Run(token);
                ended.TrySetResult();
            }
            catch (Exception ex)
            {
                ended.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            // Linux keeps 15 characters of a thread's name: enough to find a room's loop in top -H.
            Name = $"room {_room.Name}",
        };
        thread.Start();
    }

    private void Run(CancellationToken cancellationToken)
    {
        var format = _room.Format;
        var start = _time.GetTimestamp();
        long produced = 0;
        using var waiter = new TickDeadlineWaiter(_time, format.FrameDuration);
        try
        {
            while (true)
            {
                // Frames owed by now. The waiter only wakes us; the count comes from the clock, so a late wake-up
                // is caught up rather than lost and the stream's timeline keeps pace with the wall clock.
                var due = _time.GetElapsedTime(start).Ticks * format.FramesPerSecond / TimeSpan.TicksPerSecond + 1;
                var behind = due - produced;
                Statistics.LagMilliseconds = Math.Max(0, behind - 1) * format.FrameDuration.TotalMilliseconds;
                if (behind * format.FrameDuration.TotalMilliseconds > _options.LateTickMilliseconds)
                {
                    var skipped = behind - 1;
                    Statistics.LateTicks++;
                    Statistics.SkippedFrames += skipped;
                    LogFellBehind(_room.Name, behind);
                    SkipTicks(skipped);
                    produced += skipped;
                }
                while (produced < due && !cancellationToken.IsCancellationRequested)
                {
                    _tickStartLateMs = _time.GetElapsedTime(start).TotalMilliseconds - produced * 1000.0 / format.FramesPerSecond;
                    Tick();
                    produced++;
                }
                cancellationToken.ThrowIfCancellationRequested();
                // Tick number `produced` is due at start + produced / fps.
                waiter.WaitUntil(start + produced * _time.TimestampFrequency / format.FramesPerSecond, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogLoopFailed(_room.Name, ex);
            CloseCommands();
            throw;
        }
    }

    /// <summary>
    /// Produces exactly one tick: video frame n and the audio of tick n + <see cref="AudioLeadTicks()"/> (the same tick
    /// without a lead), which is what commands, lines and events act on. Public so tests can drive the clock.
    /// </summary>
    public void Tick()
    {
        var tickStart = Stopwatch.GetTimestamp();
        var format = _room.Format;
        var samples = new short[format.SamplesPerFrame];

        ApplyCommands();
        AdoptPrepared();
        if (_current is null && !_paused) TakeNextLine();
        // After every queue change (the line just taken included): which lines to synthesize ahead, freeing the
        // ones that left; then, every tick, start those the bounds allow (none of it waits for synthesis).
        if (_aheadStale)
        {
            _aheadStale = false;
            var queued = _queue.Snapshot();
            AdoptPrepared();
            _ahead.Refresh(queued);
        }
        _ahead.Balance(Stopwatch.GetTimestamp());

        var speaking = false;
        if (_current is { } line)
        {
            var lineOffsetAtTickStart = line.Played;
            if (_cut is { } reason)
            {
                // Cut within this frame: what remains of the line fades to silence over the first CutFadeMilliseconds...
                line.Read(samples);
                AudioFade.FadeOut(samples, _fadeSamples);
                Finish(reason);
                // ...and the cued line (its synthesis started when it was accepted) follows the fade in this same tick
                // when its first audio is there; otherwise it starts on the tick its audio arrives by.
                if (!_paused)
                {
                    TakeNextLine();
                    if (_current is { } next) speaking = PlayAfterCut(next, samples.AsSpan(_fadeSamples));
                }
            }
            else if (_paused)
            {
                if (!_silencedForPause)
                {
                    line.Read(samples.AsSpan(0, _fadeSamples));
                    AudioFade.FadeOut(samples, _fadeSamples);
                    _silencedForPause = true;
                }
            }
            else
            {
                var resuming = _silencedForPause;
                var read = line.Read(samples);
                if (resuming) AudioFade.FadeIn(samples.AsSpan(0, read), _fadeSamples);
                _silencedForPause = false;
                if (read > 0 && lineOffsetAtTickStart == 0) OnFirstAudio(line);
                if (line.Line.DurationMs is null) LearnDuration(line, announce: true);
                speaking = line.HasStartedAudio;
                if (line.IsFinished) Finish(line.Failed ? FinishReason.Failed : FinishReason.Completed);
            }
        }
        // Commands of this tick have taken effect (a skipped line is finished): their callers may look now.
        foreach (var applied in _applied) applied.TrySetResult();
        _applied.Clear();

        var viseme = Viseme.Silence;
        string? caption;
        if (_current is { } still)
        {
            // The screen answers the cue on this very frame: the caption of the line just taken is drawn now, while
            // its mouth (below) waits for the audio lead, to move when its sound is heard.
            caption = CaptionOf(still.Line);
            if (speaking && !_paused) viseme = still.VisemeAt(still.Played - samples.Length / 2 + _visemeLeadSamples);
        }
        else
        {
            caption = _captionTail.Next();
        }

        var renderStart = Stopwatch.GetTimestamp();
        var pixels = _pixels.Rent();
        var audio = _audioContext.Next(samples, _paused ? null : _current);
        // This tick's audio is drawn Ticks frames from now; the mouth drawn now is the one whose audio left that long ago.
        var picture = _pictures.Push(new PictureState(viseme, Loudness(samples), speaking && !_paused), audio);
        var frame = new AvatarFrame(_frameIndex, (double)_frameIndex / format.FramesPerSecond, picture.Viseme, picture.Loudness, picture.Speaking, picture.Audio);
        _composer.Compose(frame, caption, pixels);
        var renderMs = Stopwatch.GetElapsedTime(renderStart).TotalMilliseconds;
        AnnounceActionChange();

        var handedToEncoder = Stopwatch.GetTimestamp();
        // The rows the composer changed are relative to the frame it composed before, which is not frame - 1 after a skip.
        var tick = new RawMediaTick(_frameIndex, pixels, _pixels, samples, handedToEncoder, _frameIndex + _pictures.Ticks, handedToEncoder + _audioLeadStopwatchTicks)
        {
            ChangedRows = _composer.LastChangedRows,
            PreviousFrameIndex = _lastComposedFrame,
        };
        _lastComposedFrame = _frameIndex;
        if (!_encoder.Write(tick))
        {
            Statistics.DroppedVideoFrames++;
        }
        var encoderWriteMs = Stopwatch.GetElapsedTime(handedToEncoder).TotalMilliseconds;

        Interlocked.Increment(ref _frameIndex);
        Statistics.FramesRendered++;
        Statistics.LastTickTimestamp = Stopwatch.GetTimestamp();
        Statistics.RecordTick(new RoomStatistics.TickTiming(_frameIndex - 1, handedToEncoder, renderMs, encoderWriteMs, Stopwatch.GetElapsedTime(tickStart).TotalMilliseconds, _tickStartLateMs), samples);
        _tickStartLateMs = 0;
    }

    /// <summary>
    /// Leaves <paramref name="count"/> ticks the loop could not produce in time as a gap on the media timeline, in both
    /// tracks at once: the next frame and the next audio tick are <paramref name="count"/> later than they would have
    /// been, so the stream's timeline stays on the wall clock (a receiver plays audio by the wall clock; a timeline that
    /// stopped over the skip would leave its sound late for good). Nothing is read from the line over the gap: the gap is
    /// silence and the line goes on after it where it stopped (an accepted line is never lost). The audio already placed
    /// ahead of the picture keeps its picture: frames that fall in the gap are not drawn, and the ticks of the audio gap
    /// are drawn as a still, silent picture.
    /// </summary>
    private void SkipTicks(long count)
    {
        if (count <= 0) return;
        Interlocked.Add(ref _frameIndex, count);
        _pictures.Skip(count);
        _captionTail.Skip(count);
        _audioContext.Gap();
    }

    // The line that follows a cut, placed in the cut tick right after the fade; true when it has started sounding.
    private bool PlayAfterCut(LinePlayback next, Span<short> afterFade)
    {
        if (next.Read(afterFade) == 0) return false;
        OnFirstAudio(next);
        if (next.Line.DurationMs is null) LearnDuration(next, announce: true);
        var started = next.HasStartedAudio;
        if (next.IsFinished) Finish(next.Failed ? FinishReason.Failed : FinishReason.Completed);
        return started;
    }

    private void ApplyCommands()
    {
        var stateChanged = false;
        var wasPaused = _paused;
        while (_commands.Reader.TryRead(out var pending))
        {
            if (pending.Done is { } done) _applied.Add(done);
            switch (pending.Command)
            {
                case RoomCommand.CueNow:
                    // A non-interruptible line plays to its end; the cued line waits first in the queue (Skip still cuts).
                    if (_current is { Line.Interruptible: true }) _cut = FinishReason.Interrupted;
                    if (_paused) { _paused = false; stateChanged = true; }
                    break;
                case RoomCommand.Skip:
                    if (_current is not null) _cut ??= FinishReason.Skipped;
                    break;
                case RoomCommand.Pause:
                    stateChanged |= !_paused;
                    _paused = true;
                    break;
                case RoomCommand.Resume:
                    stateChanged |= _paused;
                    _paused = false;
                    break;
                case RoomCommand.Wake:
                    break;
            }
        }
        if (_paused != wasPaused) _journal.RoomStateChanged(_room.Name, new StoredRoomState(_paused));
        if (stateChanged) _events.StateChanged(Snapshot());
    }

    // Hands the syntheses the control plane started to Ahead. Every line visible in the queue has its prepared
    // synthesis (if any) here already, so adopting right after reading the queue means none is started twice.
    private void AdoptPrepared()
    {
        while (_prepared.TryDequeue(out var prepared)) _ahead.Adopt(prepared);
    }

    private void TakeNextLine()
    {
        if (!_queue.TryTakeNext(out var line))
        {
            // Live lines always go first: the filler is asked only when nothing is queued. Its line has no row.
            if (_filler is null || !_filler.TryNext(_time.GetUtcNow(), out line)) return;
            _events.LineQueued(line);
        }
        if (line.Kind == LineKind.Presenter)
        {
            // A presenter switch takes no time: it is shown and finished here, and the next line starts on this tick.
            SwitchPresenter(line);
            TakeNextLine();
            return;
        }
        SpeechStream stream;
        // The stream taken is owned by the playback StartPlayback makes, which disposes it when the line ends.
        // A line is prepared before it enters the queue (RoomController.AdmitAsync): if it was taken as soon as it
        // entered, its synthesis may have arrived since this tick adopted the prepared ones.
        AdoptPrepared();
#pragma warning disable CA2000
        if (_ahead.TryTake(line, out var ready))
#pragma warning restore CA2000
        {
            // Synthesized ahead: its audio is (at least partly) here already.
            ready.Cue(Stopwatch.GetTimestamp());
            StartPlayback(ready);
            return;
        }
        if (line.Kind == LineKind.Audio)
        {
            // A producer's recorded clip: no synthesis, the stored samples themselves (a missing clip fails the line).
            stream = AudioClipStream.Start(_journal.Lines, line, _clipReads);
        }
        else if (!_speech.TryResolveVoice(line.Language, line.Voice, out var voice))
        {
            // Only possible for a line stored by an earlier version with a voice this one lacks.
            _current = new LinePlayback(line, FailedStream(line), Stopwatch.GetTimestamp());
            Finish(FinishReason.Failed);
            return;
        }
        else
        {
            stream = _speech.Start(new SpeechRequest(line.Text, line.Language, voice.Id));
        }
        StartPlayback(new LinePlayback(line, stream, Stopwatch.GetTimestamp()));
    }

    private void StartPlayback(LinePlayback playback)
    {
        var line = playback.Line;
        _current = playback;
        _silencedForPause = false;
        var started = line with { Status = LineStatus.Speaking, StartedAt = _time.GetUtcNow() };
        _journal.LineStarted(started.Id, started.StartedAt!.Value);
        _current.MarkSpeaking(started);
        // Known now when the audio is all there already (a short line, a clip read at once); else when synthesis ends.
        LearnDuration(_current, announce: false);
        started = _current.Line;
        _currentLine = started;
        Statistics.LinesStarted++;
        // The line's action starts with it (the avatar cuts to it at its next good moment: drawn from the next frame on).
        if (started.Action is { } action && _presenter?.TryPlayAction(action) != true) LogActionNotPlayed(_room.Name, started.Id, action);
        _events.LineStarted(started);
        _events.StateChanged(Snapshot());
    }

    // A switch's moment between lines: the prepared presenter fades in from this frame and the default voice changes.
    // Nothing prepared under the line's id (its consent was withdrawn meanwhile, or after a restart the package could not
    // be loaded) fails the line and the room keeps its presenter.
    private void SwitchPresenter(Line line)
    {
        var now = _time.GetUtcNow();
        var started = line with { Status = LineStatus.Speaking, StartedAt = now };
        _journal.LineStarted(line.Id, now);
        _events.LineStarted(started);
        var shown = _presenter?.TryShow(line.Id) ?? false;
        if (shown && line.Voice is not null) _defaultVoice = line.Voice;
        if (!shown) LogLineFailed(_room.Name, line.Id, $"the presenter '{line.Text}' is no longer prepared (its consent was withdrawn, or it could not be loaded)");
        var reason = shown ? FinishReason.Completed : FinishReason.Failed;
        var finished = started with { Status = LineStatus.Done, Reason = reason, FinishedAt = now, DurationMs = 0 };
        _journal.LineFinished(line.Id, reason, now);
        _events.LineFinished(finished);
        _events.StateChanged(Snapshot());
    }

    private string? _announcedAction;

    // An action began or ended on the frame just drawn: a StateChanged says so (playingAction), once per change.
    private void AnnounceActionChange()
    {
        var playing = _presenter?.PlayingAction;
        if (ReferenceEquals(playing, _announcedAction) || playing == _announcedAction) return;
        _announcedAction = playing;
        _events.StateChanged(Snapshot());
    }

    // Sets the current line's DurationMs once its audio has all arrived; with announce, says so in a StateChanged.
    private void LearnDuration(LinePlayback playback, bool announce)
    {
        if (!playback.TryGetTotalSamples(out var samples)) return;
        var known = playback.Line with { DurationMs = samples * 1000 / MediaFormat.AudioSampleRate };
        playback.MarkSpeaking(known);
        _currentLine = known;
        if (announce) _events.StateChanged(Snapshot());
    }

    private SpeechStream FailedStream(Line line)
    {
        var voice = new VoiceInfo(line.Voice ?? "", line.Language, "", false);
        var stream = new SpeechStream(new SpeechRequest(line.Text, line.Language, line.Voice), voice);
        stream.Writer.TryComplete(new InvalidOperationException($"voice '{line.Voice}' is not available"));
        return stream;
    }

    private void OnFirstAudio(LinePlayback line)
    {
        // Placed now, it is due the audio lead later: that is when a viewer hears it.
        var ms = Stopwatch.GetElapsedTime(line.StartedTimestamp).TotalMilliseconds + _audioLeadMilliseconds;
        Statistics.RecordCueToFirstAudio(ms);
        FirstAudioPlaced?.Invoke(line.Line, _frameIndex + _pictures.Ticks);
    }

    private void Finish(FinishReason reason)
    {
        var line = _current!;
        // A line that ended by itself is still heard for the lead: its caption stays as long; a cut one goes at once.
        if ((reason is FinishReason.Completed or FinishReason.Failed) && line.HasStartedAudio) _captionTail.Ended(CaptionOf(line.Line));
        else _captionTail.Clear();
        _current = null;
        _cut = null;
        _currentLine = null;
        if (reason == FinishReason.Failed) LogLineFailed(_room.Name, line.Line.Id, line.Failure?.Message ?? "unknown");
        line.Dispose();
        var finished = line.Line with { Status = LineStatus.Done, Reason = reason, FinishedAt = _time.GetUtcNow() };
        _journal.LineFinished(finished.Id, reason, finished.FinishedAt!.Value);
        Statistics.LinesFinished++;
        _events.LineFinished(finished);
        _events.StateChanged(Snapshot());
    }

    // An audio line without a caption shows none (its Text is empty).
    private static string? CaptionOf(Line line) => line.Caption ?? (line.Text.Length > 0 ? line.Text : null);

    /// <summary>Level for the avatar: RMS over full scale, stretched so normal speech lands around 0.3 to 0.8.</summary>
    private static float Loudness(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        var rms = Math.Sqrt(sum / samples.Length) / short.MaxValue;
        return (float)Math.Clamp(rms * 4, 0, 1);
    }

    /// <summary>Lines of this room held for a producer's review (moderation mode review); the controller fills and empties it.</summary>
    public Moderation.ReviewList Reviews { get; } = new();

    public RoomState Snapshot(IReadOnlyList<OutputState>? outputs = null)
    {
        var current = _currentLine;
        var activity = _paused ? RoomActivity.Paused : current is null ? RoomActivity.Idle : RoomActivity.Speaking;
        var format = _room.Format;
        var state = new RoomState(_room.Name, _room.Language, activity, _paused, current, _queue.Snapshot(),
            format.Width, format.Height, format.FramesPerSecond, FrameIndex, outputs ?? [])
        {
            Scheduled = _queue.ScheduledSnapshot(),
            Held = Reviews.Count,
            Presenter = _presenter?.Presenter,
            Voice = _defaultVoice,
            Actions = _presenter?.Actions ?? [],
            PlayingAction = _presenter?.PlayingAction,
        };
        return _filler?.Annotate(state) ?? state;
    }

    public async ValueTask DisposeAsync()
    {
        if (_loopCancel is not null)
        {
            await _loopCancel.CancelAsync().ConfigureAwait(false);
            try
            {
                if (_loop is not null) await _loop.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogLoopFailed(_room.Name, ex);
            }
            _loopCancel.Dispose();
        }
        CloseCommands();
        // A command applied on the last tick but not yet announced: it did take effect.
        foreach (var applied in _applied) applied.TrySetResult();
        _applied.Clear();
        // The line being spoken stays "speaking" in the store: it is spoken again, from the start, after a restart.
        _current?.Dispose();
        while (_prepared.TryDequeue(out var prepared)) prepared.Dispose();
        _queue.Changed -= OnQueueChanged;
        _ahead.Dispose();
    }

    private readonly record struct PendingCommand(RoomCommand Command, TaskCompletionSource? Done);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room} fell {Frames} frames behind the clock; skipping ahead")]
    private partial void LogFellBehind(string room, long frames);

    [LoggerMessage(Level = LogLevel.Error, Message = "Room {Room} engine loop failed")]
    private partial void LogLoopFailed(string room, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room} line {LineId}: its action '{Action}' was not played (the presenter on screen has no such action)")]
    private partial void LogActionNotPlayed(string room, string lineId, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room} line {LineId} failed: {Reason}")]
    private partial void LogLineFailed(string room, string lineId, string reason);
}
