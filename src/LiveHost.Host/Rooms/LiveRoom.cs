using LiveHost.Avatars;
using LiveHost.Encoding;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Playback;
using LiveHost.Engine.Rooms;
using LiveHost.Media;
using LiveHost.Rtmp;
using LiveHost.Speech;

namespace LiveHost.Host.Rooms;

/// <summary>One room and everything it owns: queue, engine loop, the single encode, and its RTMP outputs.</summary>
public sealed class LiveRoom : IAsyncDisposable
{
    private readonly RoomOptions _options;

    public LiveRoom(string name, RoomOptions options, ILineStore store, ISpeechSynthesizer speech, IRoomEventSink events,
        EngineOptions engineOptions, ILoggerFactory loggers, TimeProvider time)
    {
        _options = options;
        Name = name;
        var format = new MediaFormat(options.Width, options.Height, options.Fps);
        var definition = new RoomDefinition(name, options.Language, format);
        Encoder = new FfmpegRoomEncoder(format, new EncoderOptions(), loggers.CreateLogger<FfmpegRoomEncoder>(), time);
        Composer = new CompositorFrameComposer(new FrameCompositor(new CartoonPresenter(), format.Width, format.Height, options.Language, ownsAvatar: true));
        var queue = new LineQueue();
        foreach (var line in store.LoadUnfinished(name)) queue.AddLast(line, () => { });
        Engine = new RoomEngine(definition, queue, store, speech, Composer, Encoder, events, engineOptions, time, loggers.CreateLogger<RoomEngine>());
        Outputs = new RtmpOutputSet(Encoder.Output, new RtmpOutputOptions(), loggers, time);
        Controller = new RoomController(Engine, queue, store, new LineRequestValidator(speech, engineOptions), events, engineOptions, time, ListOutputs);
    }

    public string Name { get; }
    public FfmpegRoomEncoder Encoder { get; }
    public IFrameComposer Composer { get; }
    public RoomEngine Engine { get; }
    public RtmpOutputSet Outputs { get; }
    public RoomController Controller { get; }

    public IReadOnlyList<OutputState> ListOutputs() =>
        Outputs.List().Select(o => new OutputState(o.Id, "rtmp", o.Url, o.Status, o.Connects, o.DroppedFrames, o.LastError)).ToArray();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Encoder.StartAsync(cancellationToken);
        Engine.Start();
        foreach (var output in _options.Outputs) Outputs.Add(output.Url);
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Outputs.DisposeAsync();
        await Encoder.DisposeAsync();
        Composer.Dispose();
    }
}
