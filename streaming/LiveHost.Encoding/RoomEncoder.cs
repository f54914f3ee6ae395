using System.Collections.Concurrent;
using System.Threading.Channels;
using FFMpegCore;
using LiveHost.Encoding.Audio;
using LiveHost.Encoding.Ffmpeg;
using LiveHost.Encoding.Opus;
using LiveHost.Encoding.Video;
using LiveHost.Encoding.X264;
using LiveHost.Media;
using Microsoft.Extensions.Logging;
using MediaFormat = LiveHost.Media.MediaFormat;

namespace LiveHost.Encoding;

/// <summary>
/// A room's single encode: raw BGRA frames to H.264 (libx264, Constrained Baseline, zerolatency, 2 s GOP) and mono
/// PCM to AAC-LC (for RTMP, SRT, recordings) and to Opus (for WebRTC), each on its own path so that none waits on
/// another's interleaving. Every output of the room subscribes to <see cref="Output"/> for the codecs it carries.
/// <code>
/// Write(tick) ─┬─ video queue (bounded, drop when full) ─▶ libx264 on its own thread (IDR on request)   ─▶ Output
///              │                                         or ffmpeg rawvideo→libx264→flv ─▶ FlvTagReader ─▶ Output
///              ├─ audio queue (unbounded, never drops)  ─▶ ffmpeg s16le→aac→adts       ─▶ AdtsReader   ─▶ Output
///              └─ opus queue (unbounded, never drops)   ─▶ Concentus in process (20 ms frames)         ─▶ Output
/// </code>
/// The video runs in process by default (<see cref="EncoderOptions.VideoEncoder"/>) because only there can a
/// keyframe request be answered on the next frame; ffmpeg's command line has no way to force an IDR into a
/// running encode, so with it a new viewer waits for the GOP.
/// Lifecycle: construct, <see cref="StartAsync"/>, <see cref="Write"/> from the media clock, <see cref="DisposeAsync"/>.
/// </summary>
public sealed class RoomEncoder : IRoomEncoder
{
    // Linux keeps 15 characters of a thread's name: enough to find the encodes in top -H.
    private const string VideoThreadName = "x264 encode";
    private readonly MediaFormat _format;
    private readonly EncoderOptions _options;
    private readonly ILogger<RoomEncoder> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly VideoFrameQueue _video;
    private readonly Channel<AudioChunk> _audio;
    private readonly Channel<AudioChunk> _opus;
    private readonly KeyframeRequestGate _keyframes;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _kill = new();
    private Task _videoLoop = Task.CompletedTask;
    private Task _audioLoop = Task.CompletedTask;
    private Task _opusLoop = Task.CompletedTask;
    private readonly TaskCompletionSource _videoInputOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _audioInputOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FFOptions? _ffOptions;
    private int _started;
    private int _disposed;

    public RoomEncoder(MediaFormat format, EncoderOptions options, ILogger<RoomEncoder> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(options);
        var problem = format.Validate() ?? options.Validate();
        if (problem is not null) throw new ArgumentException(problem, format.Validate() is null ? nameof(options) : nameof(format));

        _format = format;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        Output = new MediaBroadcaster(format);
        Output.KeyframeRequested += RequestKeyframe;
        VideoLatency = new EncodeLatencyStats(options.LatencySamplesKept);
        AudioLatency = new EncodeLatencyStats(options.LatencySamplesKept);
        _video = new VideoFrameQueue(options.VideoQueueCapacity);
        _audio = Channel.CreateUnbounded<AudioChunk>(new UnboundedChannelOptions { SingleReader = true });
        _opus = Channel.CreateUnbounded<AudioChunk>(new UnboundedChannelOptions { SingleReader = true });
        var gapFrames = (int)Math.Ceiling(options.MinForcedKeyframeInterval.TotalSeconds * format.FramesPerSecond);
        _keyframes = new KeyframeRequestGate(gapFrames);
    }

    public MediaBroadcaster Output { get; }

    public MediaFormat Format => _format;

    public EncoderCounters Counters { get; } = new();

    /// <summary>Per-frame video latency: <see cref="RawMediaTick.CreatedTimestamp"/> to publication on <see cref="Output"/>.</summary>
    public EncodeLatencyStats VideoLatency { get; }

    /// <summary>Per-frame audio latency: the tick holding a frame's last sample to publication on <see cref="Output"/>.</summary>
    public EncodeLatencyStats AudioLatency { get; }

    public long DroppedVideoFrames => Counters.VideoFramesDropped;

    /// <summary>
    /// The most raw frames that ever waited for the video encoder at once; <see cref="EncoderOptions.VideoQueueCapacity"/>
    /// means the bound was reached (and frames were dropped). How close a busy machine comes to dropping.
    /// </summary>
    public int VideoQueueHighWater => _video.HighWater;

    /// <summary>Raw frames waiting for the video encoder now.</summary>
    public int VideoQueueDepth => _video.Count;

    /// <summary>
    /// Finds ffmpeg, starts both encodes and waits until both have opened their inputs, so that the engine's clock
    /// does not start while frames would only pile up behind start-up. Frames written before this completes wait in
    /// the queues.
    /// </summary>
    /// <exception cref="FileNotFoundException">ffmpeg is not on PATH nor in <see cref="EncoderOptions.FfmpegFolder"/>.</exception>
    /// <exception cref="DllNotFoundException">The in-process video encoder is chosen and libx264.so.164 is not installed.</exception>
    /// <exception cref="InvalidOperationException">libx264 refused the settings.</exception>
    /// <exception cref="TimeoutException">ffmpeg did not open its inputs within <see cref="EncoderOptions.StartTimeout"/>;
    /// the encoder keeps retrying until disposed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("the encoder is already started");

        var folder = FfmpegLocator.FindFolder(_options.FfmpegFolder);
        _ffOptions = FfmpegLocator.CreateOptions(folder);

        var audio = new FfmpegSupervisor("audio", RunAudioOnceAsync, Counters.AudioRestarted, _options, _logger, _timeProvider);
        if (_options.VideoEncoder == VideoEncoderKind.Libx264)
        {
            var loop = new X264VideoEncodeLoop(_format, _options, _video, Output, _keyframes, Counters, VideoLatency, _logger, _timeProvider);
            _videoLoop = loop.Start(VideoThreadName, _videoInputOpen, _kill.Token);
        }
        else
        {
            var video = new FfmpegSupervisor("video", RunVideoOnceAsync, Counters.VideoRestarted, _options, _logger, _timeProvider);
            _videoLoop = Task.Run(() => video.RunAsync(_stopping.Token, _kill.Token), CancellationToken.None);
        }
        _audioLoop = Task.Run(() => audio.RunAsync(_stopping.Token, _kill.Token), CancellationToken.None);
        var opus = new OpusAudioEncodeLoop(_format, _opus.Reader, Output, Counters, _logger, _timeProvider);
        _opusLoop = Task.Run(() => opus.RunAsync(_kill.Token), CancellationToken.None);
        await Task.WhenAll(_videoInputOpen.Task, _audioInputOpen.Task).WaitAsync(_options.StartTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        EncoderLog.Started(_logger, _format.Width, _format.Height, _format.FramesPerSecond, _options.VideoEncoder, folder);
    }

    /// <summary>
    /// Queues one tick without ever waiting. The samples are always kept; the frame is dropped (its pixels returned to
    /// the pool at once) when the video queue is full, which happens when the video encoder falls behind or is restarting.
    /// With the in-process encoder, a frame nobody wants (<see cref="MediaBroadcaster.HasDemand"/> false) is not coded
    /// (counted in <see cref="EncoderCounters.VideoFramesIdle"/>; true is returned, nothing was lost), and the first
    /// frame coded once someone subscribes is an IDR.
    /// </summary>
    public bool Write(RawMediaTick tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        if (tick.Pixels.Length < _format.FrameBytes)
        {
            throw new ArgumentException($"tick {tick.FrameIndex} has {tick.Pixels.Length} pixel bytes, the format needs {_format.FrameBytes}", nameof(tick));
        }

        Counters.TickIn();
        if (tick.Samples.Length > 0)
        {
            // Both audio encodes read the same samples; neither writes to them.
            var chunk = new AudioChunk(tick.AudioFrameIndex, tick.Samples, tick.AudioTimestamp);
            if (_audio.Writer.TryWrite(chunk)) Counters.AudioIn(tick.Samples.Length);
            _opus.Writer.TryWrite(chunk);
        }

        // Nobody wants the picture (no viewer, output or recording): it is not coded, and the first frame coded when
        // someone comes is an IDR. Only the in-process encoder can restart with one; an ffmpeg process keeps coding.
        if (_options.VideoEncoder == VideoEncoderKind.Libx264 && !Output.HasDemand)
        {
            _keyframes.Restart();
            tick.ReturnPixels();
            Counters.VideoIdle();
            return true;
        }

        if (_video.TryWrite(tick))
        {
            Counters.VideoQueued();
            return true;
        }
        tick.ReturnPixels();
        Counters.VideoDropped();
        return false;
    }

    /// <summary>
    /// Asks for an IDR picture soon: on the next frame with the in-process encoder (at most one forced IDR per
    /// <see cref="EncoderOptions.MinForcedKeyframeInterval"/>, requests in between coalesced); with the ffmpeg process,
    /// only counted, and the 2 s GOP bounds the wait. Safe from any thread; raised by <see cref="Output"/>'s subscribers.
    /// </summary>
    public void RequestKeyframe()
    {
        Counters.KeyframeRequested();
        _keyframes.Request();
    }

    /// <summary>
    /// Closes the inputs, lets both encodes flush what they hold and end, and kills them if they take longer
    /// than <see cref="EncoderOptions.ShutdownTimeout"/>. Frames still queued are encoded and published.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Output.KeyframeRequested -= RequestKeyframe;
        _stopping.Cancel();
        _video.Complete();
        _audio.Writer.TryComplete();
        _opus.Writer.TryComplete();

        var loops = Task.WhenAll(_videoLoop, _audioLoop, _opusLoop);
        try
        {
            await loops.WaitAsync(_options.ShutdownTimeout, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            EncoderLog.ShutdownTimedOut(_logger, _options.ShutdownTimeout);
            _kill.Cancel();
            try
            {
                await loops.WaitAsync(_options.ShutdownTimeout, _timeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Killed processes that still do not report their exit are left to the OS; nothing else holds them.
            }
        }

        // Frames that no process took (never started, or killed) go back to their pool.
        while (_video.TryTakeNow(out var tick)) tick.ReturnPixels();
        if (_videoLoop.IsCompleted) _video.Dispose(); // a killed thread that never ended may still wait on it
        _stopping.Dispose();
        _kill.Dispose();
    }

    private Task<FFMpegResult> RunVideoOnceAsync(StderrTail stderr, CancellationTokenSource killThisRun)
    {
        var pending = new ConcurrentQueue<PendingVideoFrame>();
        var source = new VideoFramePipeSource(_format, _video.Reader, pending, () => _videoInputOpen.TrySetResult());
        var sink = new FlvVideoPipeSink(_format, Output, pending, Counters, VideoLatency, _timeProvider, _logger, Abort(killThisRun));
        var processor = FFMpegArguments
            .FromPipeInput(source, input => input.WithCustomArgument(FfmpegCommandLine.Quiet))
            .OutputToPipe(sink, output => output.WithCustomArgument(FfmpegCommandLine.H264Output(_format, _options)));
        return RunAsync("video", processor, stderr, killThisRun.Token);
    }

    private Task<FFMpegResult> RunAudioOnceAsync(StderrTail stderr, CancellationTokenSource killThisRun)
    {
        var timeline = new AudioTimeline(_format);
        var source = new PcmAudioPipeSource(_audio.Reader, timeline, () => _audioInputOpen.TrySetResult());
        var sink = new AdtsAudioPipeSink(Output, timeline, Counters, AudioLatency, _timeProvider, _logger, Abort(killThisRun));
        var processor = FFMpegArguments
            .FromPipeInput(source, input => input.WithCustomArgument(FfmpegCommandLine.Quiet))
            .OutputToPipe(sink, output => output.WithCustomArgument(FfmpegCommandLine.AacOutput(_options)));
        return RunAsync("audio", processor, stderr, killThisRun.Token);
    }

    private Task<FFMpegResult> RunAsync(string stream, FFMpegArgumentProcessor processor, StderrTail stderr, CancellationToken kill)
    {
        EncoderLog.ProcessStarting(_logger, stream, processor.Arguments);
        return processor
            .NotifyOnStandardError(stderr.Add)
            .CancellableThrough(kill, TimeSpan.Zero)
            .ProcessAsynchronously(throwOnError: false, _ffOptions, CancellationToken.None);
    }

    private static Action Abort(CancellationTokenSource killThisRun) => () =>
    {
        try
        {
            killThisRun.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run is already over.
        }
    };
}
