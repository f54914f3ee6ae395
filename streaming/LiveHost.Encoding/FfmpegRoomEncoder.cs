using System.Collections.Concurrent;
using System.Threading.Channels;
using FFMpegCore;
using LiveHost.Encoding.Audio;
using LiveHost.Encoding.Ffmpeg;
using LiveHost.Encoding.Video;
using LiveHost.Media;
using Microsoft.Extensions.Logging;
using MediaFormat = LiveHost.Media.MediaFormat;

namespace LiveHost.Encoding;

/// <summary>
/// A room's single encode: raw BGRA frames to H.264 (libx264, Constrained Baseline, zerolatency, 2 s GOP) and mono
/// PCM to AAC-LC, each in its own supervised ffmpeg process so that neither waits on the other's interleaving.
/// <code>
/// Write(tick) ─┬─ video queue (bounded, drop when full) ─▶ ffmpeg rawvideo→libx264→flv ─▶ FlvTagReader ─▶ Output
///              └─ audio queue (unbounded, never drops)  ─▶ ffmpeg s16le→aac→adts       ─▶ AdtsReader   ─▶ Output
/// </code>
/// Lifecycle: construct, <see cref="StartAsync"/>, <see cref="Write"/> from the media clock, <see cref="DisposeAsync"/>.
/// </summary>
public sealed class FfmpegRoomEncoder : IRoomEncoder
{
    private readonly MediaFormat _format;
    private readonly EncoderOptions _options;
    private readonly ILogger<FfmpegRoomEncoder> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Channel<RawMediaTick> _video;
    private readonly Channel<AudioChunk> _audio;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _kill = new();
    private Task _videoLoop = Task.CompletedTask;
    private Task _audioLoop = Task.CompletedTask;
    private readonly TaskCompletionSource _videoInputOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _audioInputOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FFOptions? _ffOptions;
    private int _started;
    private int _disposed;

    public FfmpegRoomEncoder(MediaFormat format, EncoderOptions options, ILogger<FfmpegRoomEncoder> logger, TimeProvider timeProvider)
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
        _video = Channel.CreateBounded<RawMediaTick>(new BoundedChannelOptions(options.VideoQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of waiting, and Write drops the frame itself
            SingleReader = true,
        });
        _audio = Channel.CreateUnbounded<AudioChunk>(new UnboundedChannelOptions { SingleReader = true });
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
    /// Finds ffmpeg, starts both encodes and waits until both processes have opened their input pipes, so that the
    /// engine's clock does not start while frames would only pile up behind process start-up. (libx264 itself still
    /// initialises on the first frame, a few milliseconds.) Frames written before this completes wait in the queues.
    /// </summary>
    /// <exception cref="FileNotFoundException">ffmpeg is not on PATH nor in <see cref="EncoderOptions.FfmpegFolder"/>.</exception>
    /// <exception cref="TimeoutException">ffmpeg did not open its inputs within <see cref="EncoderOptions.StartTimeout"/>;
    /// the encoder keeps retrying until disposed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("the encoder is already started");

        var folder = FfmpegLocator.FindFolder(_options.FfmpegFolder);
        _ffOptions = FfmpegLocator.CreateOptions(folder);

        var video = new FfmpegSupervisor("video", RunVideoOnceAsync, Counters.VideoRestarted, _options, _logger, _timeProvider);
        var audio = new FfmpegSupervisor("audio", RunAudioOnceAsync, Counters.AudioRestarted, _options, _logger, _timeProvider);
        _videoLoop = Task.Run(() => video.RunAsync(_stopping.Token, _kill.Token), CancellationToken.None);
        _audioLoop = Task.Run(() => audio.RunAsync(_stopping.Token, _kill.Token), CancellationToken.None);
        await Task.WhenAll(_videoInputOpen.Task, _audioInputOpen.Task).WaitAsync(_options.StartTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        EncoderLog.Started(_logger, _format.Width, _format.Height, _format.FramesPerSecond, folder);
    }

    /// <summary>
    /// Queues one tick without ever waiting. The samples are always kept; the frame is dropped (its pixels returned to
    /// the pool at once) when the video queue is full, which happens when ffmpeg falls behind or is restarting.
    /// </summary>
    public bool Write(RawMediaTick tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        if (tick.Pixels.Length < _format.FrameBytes)
        {
            throw new ArgumentException($"tick {tick.FrameIndex} has {tick.Pixels.Length} pixel bytes, the format needs {_format.FrameBytes}", nameof(tick));
        }

        Counters.TickIn();
        if (tick.Samples.Length > 0 && _audio.Writer.TryWrite(new AudioChunk(tick.FrameIndex, tick.Samples, tick.CreatedTimestamp)))
        {
            Counters.AudioIn(tick.Samples.Length);
        }

        if (_video.Writer.TryWrite(tick))
        {
            Counters.VideoQueued();
            return true;
        }
        tick.ReturnPixels();
        Counters.VideoDropped();
        return false;
    }

    /// <summary>
    /// Counted, not acted on: ffmpeg's command line has no way to force an IDR into a running libx264 encode, and
    /// restarting the process to get one would cost more than waiting. The fixed GOP bounds the wait for the next
    /// keyframe to 2 s. Requests (including those raised by <see cref="Output"/>'s subscribers) show in
    /// <see cref="EncoderCounters.KeyframeRequests"/>.
    /// </summary>
    public void RequestKeyframe() => Counters.KeyframeRequested();

    /// <summary>
    /// Closes the inputs, lets both ffmpeg processes flush what they hold and exit, and kills them if they take longer
    /// than <see cref="EncoderOptions.ShutdownTimeout"/>. Frames still queued are encoded and published.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Output.KeyframeRequested -= RequestKeyframe;
        _stopping.Cancel();
        _video.Writer.TryComplete();
        _audio.Writer.TryComplete();

        var loops = Task.WhenAll(_videoLoop, _audioLoop);
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
        while (_video.Reader.TryRead(out var tick)) tick.ReturnPixels();
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
