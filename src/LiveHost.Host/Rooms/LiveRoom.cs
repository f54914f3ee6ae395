using LiveHost.Avatars;
using LiveHost.Encoding;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Playback;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using LiveHost.Media;
using LiveHost.Recording;
using LiveHost.Host.Recordings;
using LiveHost.Host.Outputs;
using LiveHost.Rtmp;
using LiveHost.Speech;
using LiveHost.Host.Avatars;
using LiveHost.WebRtc;
using LiveHost.WebRtc.Rooms;

namespace LiveHost.Host.Rooms;

/// <summary>One room and everything it owns: queue, engine loop, the single encode, and its RTMP outputs.</summary>
public sealed partial class LiveRoom : IAsyncDisposable
{
    private readonly RoomOptions _options;
    private readonly Lock _stopGate = new();
    private Task? _stopped;
    private readonly WebRtcService? _webRtc;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;

    public LiveRoom(string name, RoomOptions options, StorageJournal journal, ISpeechSynthesizer speech, IRoomEventSink events,
        EngineOptions engineOptions, ILoggerFactory loggers, TimeProvider time, WebRtcService? webRtc = null, IAvatarFactory? avatars = null,
        EncoderOptions? encoderOptions = null, RtmpOutputOptions? outputOptions = null, ShowLibrary? show = null,
        LiveHost.Engine.Moderation.ILinePolicy? policy = null, string? dataDirectory = null)
    {
        _options = options;
        _webRtc = webRtc;
        _loggers = loggers;
        _time = time;
        Name = name;
        var format = new MediaFormat(options.Width, options.Height, options.Fps);
        var definition = new RoomDefinition(name, options.Language, format);
        Encoder = new RoomEncoder(format, encoderOptions ?? new EncoderOptions(), loggers.CreateLogger<RoomEncoder>(), time);
        EncodeProfile = RoomEncodeProfile.Of(format, encoderOptions ?? new EncoderOptions());
        // The room's scripts and product card (none when the server has no show library).
        Show = show?.AddRoom(name, options.Language);
        var roomShow = Show;
        // The room's presenter, behind a switcher so SetPresenter can replace it on air.
        // Owned down the chain: the switcher owns the presenter, the compositor the switcher (ownsAvatar), and the room
        // disposes the composer and the presenter stage (DisposeAsync).
#pragma warning disable CA2000
        var switcher = new PresenterSwitcher(avatars?.Create(name, options) ?? new CartoonPresenter(CartoonLook.TryGet(options.Avatar, out var look) ? look : CartoonLook.Classic));
        Presenter = new RoomPresenter(name, options, switcher, avatars);
        Composer = new CompositorFrameComposer(new FrameCompositor(switcher, format.Width, format.Height, options.Language, ownsAvatar: true, frameStamp: options.FrameStamp),
            roomShow is null ? null : () => roomShow.CardFrame(Engine?.CurrentLine), CpuMeter);
#pragma warning restore CA2000
        var queue = new LineQueue();
        foreach (var line in journal.Lines.LoadUnfinished(name)) queue.AddLast(line, () => { });
        // The WebRTC stream subscribes to the encoder's H.264 and Opus, as the RTMP outputs take its H.264 and AAC.
        WebRtc = webRtc?.AddRoom(name, Encoder.Output, Encoder.RequestKeyframe);
        IRoomEncoder encoder = Encoder;
        // Test-only A/V sync marker: in front of the one encode, so every output hears the same tone.
#pragma warning disable CA2000 // a pass-through in front of Encoder, which the room disposes; it holds nothing of its own
        if (options.AvSyncMarker) encoder = new AvSyncMarkerEncoder(encoder);
#pragma warning restore CA2000
        Engine = new RoomEngine(definition, queue, journal, speech, Composer, encoder, events, engineOptions, time, loggers.CreateLogger<RoomEngine>(), filler: Show, presenter: Presenter);
        Outputs = new RtmpOutputSet(Encoder.Output, outputOptions ?? new RtmpOutputOptions(), loggers, time);
        // Recordings carry the same AIGC label (one ProduceID) as the room's outputs.
        Recorder = dataDirectory is null ? null
            : new RoomRecorder(name, Encoder.Output, RoomRecordings.RecorderOptions(name, options.Recording, dataDirectory, Outputs.Label),
                new DriveDiskSpace(), time, loggers.CreateLogger<RoomRecorder>());
        Controller = new RoomController(Engine, queue, journal, new LineRequestValidator(speech, engineOptions, show?.Products), events, engineOptions, time, ListOutputs, policy, Presenter);
        PrepareStoredSwitches(queue, loggers.CreateLogger<LiveRoom>());
        Show?.Attach(Controller, events);
    }

    public string Name { get; }

    /// <summary>The room's settings (its kind, for capacity, comes from them).</summary>
    public RoomOptions Options => _options;

    /// <summary>CPU the room's drawing took on its tick thread (capacity, issue 14).</summary>
    public Capacity.RoomCpuMeter CpuMeter { get; } = new();

    /// <summary>The room's presenter stage (SetPresenter).</summary>
    public RoomPresenter Presenter { get; }
    public RoomEncoder Encoder { get; }
    public IFrameComposer Composer { get; }
    public RoomEngine Engine { get; }

    /// <summary>The room's looping script and product card, when the server has a show library.</summary>
    public RoomShow? Show { get; }
    public RtmpOutputSet Outputs { get; }

    /// <summary>The room's recorder (fragmented MP4 files), when the room has a data directory to record under.</summary>
    public RoomRecorder? Recorder { get; }

    /// <summary>What the room's one encode delivers, as output presets check it.</summary>
    public RoomEncodeProfile EncodeProfile { get; }

    /// <summary>The room's WebRTC packet stream, when WebRTC playback is on.</summary>
    public WebRtcRoomStream? WebRtc { get; }
    public RoomController Controller { get; }

    // Switches waiting or scheduled before a restart: prepared again now, at start, never on the tick. One that cannot be
    // (its consent was withdrawn meanwhile) fails when its moment comes, and the room keeps its presenter.
    private void PrepareStoredSwitches(LineQueue queue, ILogger<LiveRoom> logger)
    {
        foreach (var line in queue.Snapshot().Concat(queue.ScheduledSnapshot()).Where(l => l.Kind == LineKind.Presenter))
        {
            try
            {
                Presenter.Prepare(line.Id, line.Text);
            }
            catch (CommandRejectedException ex)
            {
                LogStoredSwitchRefused(logger, Name, line.Id, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: the presenter switch {LineId} stored before the restart cannot be prepared ({Reason}); it will fail when its moment comes")]
    private static partial void LogStoredSwitchRefused(ILogger logger, string room, string lineId, string reason);

    public IReadOnlyList<OutputState> ListOutputs() =>
        Outputs.List().Select(ToState).ToArray();

    public static OutputState ToState(RtmpOutputInfo o) =>
        new(o.Id, o.Kind, o.Url, o.Status, o.Connects, o.DroppedFrames, o.LastError) { Reconnects = o.Reconnects, BitsPerSecond = o.BitsPerSecond, Preset = o.Preset };

    /// <summary>Adds an output of the kind its URL names (<see cref="OutputKinds"/>; call <see cref="OutputKinds.Validate"/> first).</summary>
    /// <exception cref="ArgumentException">The URL or its host is refused (the message says why); nothing is added.</exception>
    public OutputState AddOutput(OutputTarget target) => ToState(OutputKinds.Add(Outputs, target, _loggers, _time, new WhipSource(Name, _webRtc)));

    public bool RemoveOutput(string id) => Outputs.Remove(id);

    /// <summary>Starts the encoder and the outputs; the clock starts with <see cref="StartTicking"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Encoder.StartAsync(cancellationToken);
        // Checked at start (LiveHostSettings.Validate): the URL, the trusted CA and the preset.
        foreach (var output in _options.Outputs)
        {
            AddOutput(new OutputTarget(output.Url, output.TrustedCa, output.Preset?.Trim().ToLowerInvariant(), output.BearerToken));
        }
        if (_options.Recording.Enabled) Recorder?.Start();
    }

    /// <summary>Starts the room's clock: lines replayed from before a restart start speaking from here on.</summary>
    public void StartTicking() => Engine.Start();

    /// <summary>Why the room was stopped while the server runs (e.g. its avatar's consent was withdrawn); null while it runs.</summary>
    public string? StoppedReason { get; private set; }

    /// <summary>
    /// Stops producing frames for good: every WebRTC viewer is ended at once (and new WHEP offers get 409 with the
    /// reason), the engine loop and the RTMP outputs (each unpublishes its stream, FCUnpublish and deleteStream, then
    /// closes; none reconnects, and new outputs are refused) and then the encoder end; the room stays listed, its state
    /// <c>stopped</c> with the reason. Idempotent.
    /// </summary>
    public Task StopAsync(string reason)
    {
        lock (_stopGate)
        {
            StoppedReason ??= reason;
            Controller.Stop(reason);
            _webRtc?.StopRoom(Name, StoppedReason);
            return _stopped ??= StopMediaAsync();
        }
    }

    private async Task StopMediaAsync()
    {
        // The outputs end their publications (FCUnpublish, deleteStream) while the engine loop winds down, not after it.
        // The recorder closes its file with every frame the encoder handed out before it stops.
        await Task.WhenAll(Engine.DisposeAsync().AsTask(), Outputs.DisposeAsync().AsTask(), Recorder?.StopAsync() ?? Task.CompletedTask);
        await Encoder.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Task stop;
        lock (_stopGate) stop = _stopped ??= StopMediaAsync();
        await stop;
        // Two disposers (the hosted rooms' stop and the container) may arrive together: only the first frees the
        // drawing resources, or the second would enumerate font lists the first is clearing.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Composer.Dispose();
        Presenter.Dispose();
    }

    private int _disposed;
}
