using System.Diagnostics;
using System.Text;
using LiveHost.Encoding;
using LiveHost.Media;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using Microsoft.Extensions.Logging.Abstractions;
using static System.FormattableString;

namespace LiveHost.Perf.Encoding;

/// <summary>
/// <c>video-encode</c>: the room's video encode both ways it can run, libx264 in this process and libx264 in an
/// ffmpeg process, fed the same pre-drawn 1280x720 frames at the real frame rate: Write-to-publish latency, CPU per
/// frame (this process plus the ffmpeg video child; the AAC child runs in both and is left out), and how long a
/// keyframe request (a viewer's PLI) takes to come out as an IDR picture.
/// </summary>
public sealed class VideoEncodeCommand : IBenchmarkCommand
{
    public string Name => "video-encode";

    public string Summary => "H.264 encode in process vs in ffmpeg: latency, CPU per frame, keyframe request to IDR";

    public string Usage => """
          --width N      frame width (default 1280)
          --height N     frame height (default 720)
          --seconds N    seconds per encoder (default 20)
          --out DIR      where the result files go (default perf/results)
        """;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var format = new MediaFormat(arguments.Number("width", 1280, 160, 3840), arguments.Number("height", 720, 120, 2160), 25);
        var seconds = arguments.Number("seconds", 20, 5, 600);
        var folder = arguments.Text("out", Path.Combine("perf", "results"));
        arguments.ThrowIfUnknown();
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        var frames = DrawFrames(format, 50);

        var runs = new List<VideoEncodeRun>();
        foreach (var kind in new[] { VideoEncoderKind.Libx264, VideoEncoderKind.FfmpegProcess })
        {
            Console.WriteLine($"{kind}: {seconds} s at {format.Width}x{format.Height} {format.FramesPerSecond} fps...");
            var run = await RunOneAsync(kind, format, frames, seconds, cancellationToken);
            runs.Add(run);
            Console.WriteLine(Invariant($"  {run.FramesOut} frames out, {run.FramesDropped} dropped; Write->publish p50 {run.WriteToPublishMs.P50:0.0} ms p95 {run.WriteToPublishMs.P95:0.0} ms; CPU {run.CpuMsPerFrame:0.0} ms/frame; keyframe request -> IDR p50 {run.KeyframeRequestToIdrMs.P50:0} ms max {run.KeyframeRequestToIdrMs.Max:0} ms"));
        }

        var arguments_ = Invariant($"{Name} --width {format.Width} --height {format.Height} --seconds {seconds}");
        var result = new VideoEncodeResult(startedAt, ReportHeader.CommandLine(arguments_), machine, format.Width, format.Height, format.FramesPerSecond, seconds, runs);
        var (md, _) = await ReportFiles.WriteAsync(folder, $"{startedAt:yyyy-MM-dd}-video-encode", result, json => Report(result, arguments_, json), ReportFiles.Json, cancellationToken);
        Console.WriteLine($"wrote {md}");
        return 0;
    }

    private static async Task<VideoEncodeRun> RunOneAsync(VideoEncoderKind kind, MediaFormat format, byte[][] frames, int seconds, CancellationToken cancellationToken)
    {
        var pool = new FrameBufferPool(format.FrameBytes);
        var silence = new short[format.SamplesPerFrame];
        await using var encoder = new RoomEncoder(format, new EncoderOptions { VideoEncoder = kind }, NullLogger<RoomEncoder>.Instance, TimeProvider.System);
        var latencies = new List<double>();
        encoder.VideoLatency.Recorded += l => { lock (latencies) latencies.Add(l.TotalMilliseconds); };
        using var subscription = encoder.Output.Subscribe("perf", capacity: 64);
        var idrWaits = new List<double>();
        long requestedAt = 0;
        var drain = Task.Run(async () =>
        {
            while (true)
            {
                EncodedFrame frame;
                try
                {
                    frame = await subscription.ReadAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is System.Threading.Channels.ChannelClosedException or OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
                if (frame.Kind != MediaKind.Video || !frame.IsKeyframe) continue;
                var asked = Interlocked.Exchange(ref requestedAt, 0);
                if (asked != 0) lock (idrWaits) idrWaits.Add(Stopwatch.GetElapsedTime(asked).TotalMilliseconds);
            }
        }, cancellationToken);
        await encoder.StartAsync(cancellationToken);
        var videoChild = ProcFs.Children(Environment.ProcessId, "ffmpeg").FirstOrDefault(pid => ProcFs.CommandLine(pid).Contains("libx264", StringComparison.Ordinal));

        // One second of warm-up (JIT, x264's first frames) before anything is counted.
        var total = (seconds + 1) * format.FramesPerSecond;
        var warmUp = format.FramesPerSecond;
        TimeSpan processStart = default, childStart = default;
        long outStart = 0, droppedStart = 0, forcedStart = 0;
        using var timer = new PeriodicTimer(format.FrameDuration);
        for (var i = 0; i < total; i++)
        {
            if (i == warmUp)
            {
                processStart = Process.GetCurrentProcess().TotalProcessorTime;
                childStart = videoChild > 0 ? ProcFs.ProcessCpu(videoChild) ?? default : default;
                outStart = encoder.Counters.VideoFramesOut;
                droppedStart = encoder.Counters.VideoFramesDropped;
                forcedStart = encoder.Counters.KeyframesForced;
                lock (latencies) latencies.Clear();
            }
            // A viewer's PLI every 3 s, off the GOP's 2 s rhythm, once the previous one has been answered.
            if (i > warmUp && i % (3 * format.FramesPerSecond) == 7 && Interlocked.Read(ref requestedAt) == 0)
            {
                Interlocked.Exchange(ref requestedAt, Stopwatch.GetTimestamp());
                encoder.RequestKeyframe();
            }
            var pixels = pool.Rent();
            frames[i % frames.Length].CopyTo(pixels, 0);
            encoder.Write(new RawMediaTick(i, pixels, pool, silence, Stopwatch.GetTimestamp()));
            await timer.WaitForNextTickAsync(cancellationToken);
        }
        var processCpu = Process.GetCurrentProcess().TotalProcessorTime - processStart;
        var childCpu = videoChild > 0 ? (ProcFs.ProcessCpu(videoChild) ?? default) - childStart : TimeSpan.Zero;
        var framesOut = encoder.Counters.VideoFramesOut - outStart;
        var dropped = encoder.Counters.VideoFramesDropped - droppedStart;
        var forced = encoder.Counters.KeyframesForced - forcedStart;
        double[] latencySamples;
        lock (latencies) latencySamples = [.. latencies];
        double[] idrSamples;
        lock (idrWaits) idrSamples = [.. idrWaits];
        subscription.Dispose();
        await drain.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        var counted = Math.Max(1, framesOut);
        return new VideoEncodeRun(kind.ToString(), total - warmUp, framesOut, dropped, Distribution.Of(latencySamples),
            processCpu.TotalMilliseconds / counted, childCpu.TotalMilliseconds / counted, Distribution.Of(idrSamples), forced);
    }

    /// <summary>A moving gradient with a sliding box: enough motion and detail that P-frames are not free.</summary>
    private static byte[][] DrawFrames(MediaFormat format, int count)
    {
        var frames = new byte[count][];
        for (var f = 0; f < count; f++)
        {
            var frame = frames[f] = new byte[format.FrameBytes];
            var boxX = f * (format.Width - 200) / count;
            for (var y = 0; y < format.Height; y++)
            {
                for (var x = 0; x < format.Width; x++)
                {
                    var o = (y * format.Width + x) * 4;
                    var inBox = x >= boxX && x < boxX + 200 && y >= format.Height / 3 && y < format.Height / 3 + 200;
                    frame[o] = inBox ? (byte)30 : (byte)((x + f * 4) & 0xFF);
                    frame[o + 1] = inBox ? (byte)200 : (byte)((y * 2 + f) & 0xFF);
                    frame[o + 2] = inBox ? (byte)240 : (byte)(((x ^ y) + f) & 0xFF);
                    frame[o + 3] = 255;
                }
            }
        }
        return frames;
    }

    private static string Report(VideoEncodeResult r, string arguments, string jsonName)
    {
        var s = new StringBuilder();
        ReportHeader.AppendTitle(s, "Video encode benchmark", r.StartedAt);
        ReportHeader.AppendCommand(s, arguments);
        ReportHeader.AppendMachine(s, r.Machine);
        s.AppendLine(Invariant($"- Input: {r.Width}x{r.Height} BGRA at {r.Fps} fps, real-time paced, {r.Seconds} s per encoder after 1 s of warm-up; libx264 veryfast zerolatency Constrained Baseline, 2500 kbit/s, 2 s GOP; a keyframe request every 3 s"));
        s.AppendLine($"- Raw samples: `{jsonName}`");
        s.AppendLine();
        s.AppendLine("| encoder | frames out | dropped | Write → publish p50 / p95 ms | CPU ms per frame (process + ffmpeg video) | cores at 25 fps | keyframe request → IDR out p50 / max ms (n) | IDRs forced |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in r.Runs)
        {
            s.AppendLine(Invariant($"| {run.Encoder} | {run.FramesOut} | {run.FramesDropped} | {run.WriteToPublishMs.P50:0.0} / {run.WriteToPublishMs.P95:0.0} | {run.CpuMsPerFrame:0.0} ({run.ProcessCpuMsPerFrame:0.0} + {run.VideoFfmpegCpuMsPerFrame:0.0}) | {run.CpuMsPerFrame * r.Fps / 1000:0.00} | {run.KeyframeRequestToIdrMs.P50:0} / {run.KeyframeRequestToIdrMs.Max:0} ({run.KeyframeRequestToIdrMs.Count}) | {run.KeyframesForced} |"));
        }
        s.AppendLine();
        s.AppendLine("Process CPU includes copying each pre-drawn frame into the pool and, for Libx264, the BGRA→I420 conversion and");
        s.AppendLine("x264's own threads; for FfmpegProcess the conversion (swscale) and x264 run in the ffmpeg child. The AAC child");
        s.AppendLine("runs in both and is not counted. With FfmpegProcess a request is only counted: the IDR is the GOP's next one.");
        return s.ToString();
    }
}
