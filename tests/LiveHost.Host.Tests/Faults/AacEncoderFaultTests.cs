using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using LiveHost.Engine.Lines;
using LiveHost.Host.Rooms;
using LiveHost.Media;
using LiveHost.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Faults;

/// <summary>
/// The room's AAC encoder (an ffmpeg child) killed with SIGKILL while lines play: the encoder starts a new one, audio
/// is published again within 2 s of each kill, the RTMP output carries speech afterwards, and every accepted line
/// finishes exactly once.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class AacEncoderFaultTests(LiveHostServer server, ITestOutputHelper output) : IClassFixture<LiveHostServer>
{
    private const int Kills = 5;
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Killing_the_aac_ffmpeg_five_times_while_a_line_plays_brings_audio_back_within_2_seconds_each_time_and_loses_no_line()
    {
        var room = server.Factory.Services.GetRequiredService<LiveRooms>().All.Single(r => r.Name == "main");
        var started = Channel.CreateUnbounded<Line>();
        var finished = new ConcurrentQueue<Line>();
        var finishedSignal = Channel.CreateUnbounded<Line>();
        var hub = await server.ConnectAsync(LiveHostServer.SellerKey, c =>
        {
            c.On<Line>("LineStarted", l => started.Writer.TryWrite(l));
            c.On<Line>("LineFinished", l =>
            {
                finished.Enqueue(l);
                finishedSignal.Writer.TryWrite(l);
            });
        });

        // Every audio frame the encoder publishes, with when it arrived and when its last input sample was made.
        var audio = Channel.CreateUnbounded<(long Arrived, long Source)>();
        using var subscription = room.Encoder.Output.Subscribe("fault-test", capacity: 4096);
        using var reading = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            while (!reading.IsCancellationRequested)
            {
                var frame = await subscription.ReadAsync(reading.Token);
                if (frame.Kind == MediaKind.Audio) audio.Writer.TryWrite((Stopwatch.GetTimestamp(), frame.SourceTimestamp));
            }
        });

        var restartsBefore = room.Encoder.Counters.AudioRestarts;
        var accepted = new List<string>();
        var recoveries = new List<TimeSpan>();
        try
        {
            for (var kill = 1; kill <= Kills; kill++)
            {
                var ticket = await hub.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null,
                    $"This is line number {kill} of the fault test. The audio encoder is killed while I speak, and I must still be heard afterwards."));
                accepted.Add(ticket.Id);
                var line = await NextStartedAsync(started, ticket.Id);
                var startedAt = Stopwatch.GetTimestamp();
                // Half a second into the line: its audio is flowing through the encoder we are about to kill.
                await NextAudioFromAsync(audio, startedAt + Stopwatch.Frequency / 2);
                Assert.Equal(line.Id, room.Engine.CurrentLine?.Id);

                var encoder = ChildProcesses.AacEncoderOf(Environment.ProcessId);
                using (var process = Process.GetProcessById(encoder.Pid)) process.Kill();
                var killedAt = Stopwatch.GetTimestamp();

                // Back: the first frame made from samples produced after the kill, which only a new ffmpeg can encode.
                var back = await NextAudioFromAsync(audio, killedAt);
                var recovery = Stopwatch.GetElapsedTime(killedAt, back.Arrived);
                recoveries.Add(recovery);
                output.WriteLine($"kill {kill}: ffmpeg {encoder.Pid} killed during line {line.Id}; audio published again after {recovery.TotalMilliseconds:F0} ms");
            }

            // A last line, accepted after every kill: LineFinished events arrive in order, so once it has finished any
            // second LineFinished of an earlier line would already have been seen.
            var last = await hub.InvokeAsync<LineTicket>("EnqueueLine", new LineRequest(null,
                "And this is the last line. Everything before me has been spoken, once each, and the stream still carries my voice to every viewer."));
            accepted.Add(last.Id);
            await NextStartedAsync(started, last.Id);
            var speech = await FfmpegTools.PullAudioAsync(server.StreamUrl, 2);
            await NextFinishedAsync(finishedSignal, last.Id);

            var rms = FfmpegTools.Rms(speech);
            output.WriteLine($"RTMP audio while the last line played: RMS {rms:F4}; audio restarts {room.Encoder.Counters.AudioRestarts - restartsBefore}; " +
                $"recoveries {string.Join(", ", recoveries.Select(r => $"{r.TotalMilliseconds:F0} ms"))}");
            Assert.Equal(Kills, room.Encoder.Counters.AudioRestarts - restartsBefore);
            Assert.All(recoveries, r => Assert.True(r < RecoveryBound, $"audio came back {r.TotalMilliseconds:F0} ms after a kill (bound {RecoveryBound.TotalMilliseconds} ms)"));
            Assert.True(rms > 0.02, $"the RTMP output carried no speech after the kills: RMS {rms:F4}");
            var ours = finished.Where(l => accepted.Contains(l.Id)).ToArray();
            Assert.Equal(accepted.Order(StringComparer.Ordinal), ours.Select(l => l.Id).Order(StringComparer.Ordinal));
            Assert.All(ours, l => Assert.Equal(FinishReason.Completed, l.Reason));
        }
        finally
        {
            await reading.CancelAsync();
            await reader.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    private static async Task<Line> NextStartedAsync(Channel<Line> started, string id)
    {
        using var timeout = new CancellationTokenSource(EventTimeout);
        while (true)
        {
            var line = await started.Reader.ReadAsync(timeout.Token);
            if (line.Id == id) return line;
        }
    }

    private static async Task NextFinishedAsync(Channel<Line> finished, string id)
    {
        using var timeout = new CancellationTokenSource(EventTimeout);
        while ((await finished.Reader.ReadAsync(timeout.Token)).Id != id)
        {
        }
    }

    /// <summary>The next published audio frame whose last input sample was made after <paramref name="since"/>.</summary>
    private static async Task<(long Arrived, long Source)> NextAudioFromAsync(Channel<(long Arrived, long Source)> audio, long since)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var frame = await audio.Reader.ReadAsync(timeout.Token);
            if (frame.Source > since) return frame;
        }
    }
}
