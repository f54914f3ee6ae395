using System.Diagnostics;
using LiveHost.Media;
using Microsoft.Extensions.Logging;

namespace LiveHost.Encoding.Tests.Fixtures;

/// <summary>Runs a real <see cref="RoomEncoder"/> over the synthetic test pattern and collects what it publishes.</summary>
public sealed class EncoderHarness(ITestOutputHelper output, MediaFormat format, EncoderOptions? options = null) : IAsyncDisposable
{
    public const double ToneHz = 440;

    public FrameBufferPool Pool { get; } = new(format.FrameBytes);
    public TestOutputLogger<RoomEncoder> Logger { get; } = new(output, LogLevel.Debug);
    public RoomEncoder Encoder { get; private set; } = null!;
    public MediaSubscription Subscription { get; private set; } = null!;
    public List<EncodedFrame> Video { get; } = [];
    public List<EncodedFrame> Audio { get; } = [];
    public List<TimeSpan> WriteDurations { get; } = [];

    /// <summary>Video Write-to-publish latencies, in publication order.</summary>
    public List<TimeSpan> VideoLatencies { get; } = [];
    public int FramesAccepted { get; private set; }
    public long SamplesWritten { get; private set; }
    private long _nextFrame;

    /// <summary>The index the next written frame will have.</summary>
    public long NextFrameIndex => _nextFrame;

    /// <summary>
    /// Starts the encoder. No test here is about how fast ffmpeg starts, and two cores under load can take more than the
    /// default 10 s to start two of them, so the start may take up to a minute unless a test sets a longer one.
    /// </summary>
    public async Task StartAsync()
    {
        var chosen = options ?? new EncoderOptions();
        if (chosen.StartTimeout < TimeSpan.FromMinutes(1)) chosen.StartTimeout = TimeSpan.FromMinutes(1);
        Encoder = new RoomEncoder(format, chosen, Logger, TimeProvider.System);
        Subscription = Encoder.Output.Subscribe("test", capacity: 100_000);
        Encoder.VideoLatency.Recorded += latency =>
        {
            lock (VideoLatencies) VideoLatencies.Add(latency);
        };
        await Encoder.StartAsync(CancellationToken.None);
    }

    public bool WriteOne()
    {
        var tick = SyntheticTestPattern.Tick(format, Pool, _nextFrame++, ToneHz);
        var started = Stopwatch.GetTimestamp();
        var accepted = Encoder.Write(tick);
        WriteDurations.Add(Stopwatch.GetElapsedTime(started));
        SamplesWritten += tick.Samples.Length;
        if (accepted) FramesAccepted++;
        return accepted;
    }

    /// <summary>Leaves <paramref name="ticks"/> ticks out, as the engine does when it skips ticks it could not produce in time.</summary>
    public void Skip(int ticks) => _nextFrame += ticks;

    /// <summary>Writes frames at the room's real frame rate, as the engine's media clock would.</summary>
    public async Task WriteRealTimeAsync(int frames)
    {
        using var timer = new PeriodicTimer(format.FrameDuration);
        for (var i = 0; i < frames; i++)
        {
            WriteOne();
            await timer.WaitForNextTickAsync();
        }
    }

    /// <summary>Closes the encoder (it flushes) and sorts everything published into <see cref="Video"/> and <see cref="Audio"/>.</summary>
    public async Task FinishAsync()
    {
        await Encoder.DisposeAsync();
        Drain();
    }

    public void Drain()
    {
        while (Subscription.TryRead(out var frame))
        {
            (frame!.Kind == MediaKind.Video ? Video : Audio).Add(frame);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Subscription?.Dispose();
        if (Encoder is not null) await Encoder.DisposeAsync();
    }
}
