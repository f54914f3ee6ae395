using System.Collections.Concurrent;
using System.Diagnostics;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Options;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Rooms;
using LiveHost.Media;
using LiveHost.Speech;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LiveHost.Host.Tests.Rooms;

/// <summary>
/// CueNow on the host's own room (<see cref="LiveRoom"/>: espeak-ng, the cartoon, libx264 in process, real time): how long
/// from the call to the encoded video frame of the tick that placed the cued line's first audio. The bound is generous
/// for a busy machine; the exact tick is pinned down by the engine's tests (SpeechAheadTests, RoomEngineTests) and
/// the figure on an idle machine by <c>perf ... foundation</c>.
/// </summary>
public sealed class CueLatencyTests : IAsyncLifetime
{
    private const int Cues = 5;
    private readonly string _folder = Directory.CreateTempSubdirectory("livehost-cue-latency-").FullName;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _firstAudio = new();
    private SqliteLineStore _store = null!;
    private StorageJournal _journal = null!;
    private EspeakSynthesizer _speech = null!;
    private LiveRoom _room = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteLineStore(Path.Combine(_folder, "livehost.db"));
        _journal = new StorageJournal(_store, _store, new JournalOptions(), TimeProvider.System, NullLogger<StorageJournal>.Instance);
        _speech = new EspeakSynthesizer(Options.Create(new SpeechOptions()), NullLogger<EspeakSynthesizer>.Instance);
        _room = new LiveRoom("main", new RoomOptions { Width = 1280, Height = 720, Fps = 25 }, _journal, _speech, new NoEvents(), new EngineOptions(),
            NullLoggerFactory.Instance, TimeProvider.System);
        _room.Engine.FirstAudioPlaced += (line, frame) => FirstAudio(line.Id).TrySetResult(frame);
        await _room.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _room.DisposeAsync();
        _speech.Dispose();
        await _journal.DisposeAsync();
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private TaskCompletionSource<long> FirstAudio(string lineId) =>
        _firstAudio.GetOrAdd(lineId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

    [Fact]
    public async Task A_cued_line_reaches_the_encoded_video_within_a_bound_generous_for_a_busy_machine()
    {
        var format = _room.Encoder.Format;
        // The viewer: it makes the room encode, and notes when each video frame comes out.
        var published = new ConcurrentQueue<(long Pts, long At)>();
        var arrived = new SemaphoreSlim(0);
        using var viewer = _room.Encoder.Output.Subscribe("viewer", capacity: 4096);
        using var stop = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var frame = await viewer.ReadAsync(stop.Token);
                    if (frame.Kind != MediaKind.Video) continue;
                    published.Enqueue((frame.Pts90k, Stopwatch.GetTimestamp()));
                    arrived.Release();
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        _room.StartTicking();
        var timeout = TimeSpan.FromSeconds(20);
        var speaking = await _room.Controller.EnqueueAsync(new LineRequest("main", "A long line to be cut: " + string.Concat(Enumerable.Repeat("and so on, ", 40))));
        await FirstAudio(speaking.Id).Task.WaitAsync(timeout);

        var latencies = new List<double>();
        for (var i = 0; i < Cues; i++)
        {
            var cued = Stopwatch.GetTimestamp();
            var ticket = await _room.Controller.CueNowAsync(new LineRequest("main", $"Cue number {i + 1}: " + string.Concat(Enumerable.Repeat("and so on, ", 40))));
            var frame = await FirstAudio(ticket.Id).Task.WaitAsync(timeout);
            var pts = format.VideoPts90k(frame);
            // The first encoded picture of the tick that placed the line's first audio.
            while (true)
            {
                Assert.True(await arrived.WaitAsync(timeout), "no encoded video frame came");
                if (published.TryPeek(out var next) && next.Pts < pts) { published.TryDequeue(out _); continue; }
                if (!published.TryDequeue(out var hit)) continue;
                latencies.Add(Stopwatch.GetElapsedTime(cued, hit.At).TotalMilliseconds);
                break;
            }
        }
        await stop.CancelAsync();
        await reading;

        var sorted = latencies.Order().ToArray();
        // An idle machine: well under 60 ms (perf foundation --video-encoder libx264). Two cores shared by a dozen builds
        // and test runs (load average 30) measured 370-840 ms: the bound catches a cue that waits for something, not a tick.
        Assert.True(sorted[Cues / 2] < 1500, $"cue -> first encoded frame {string.Join(", ", latencies.Select(l => l.ToString("0")))} ms");
    }

    private sealed class NoEvents : IRoomEventSink
    {
        public void LineQueued(Line line) { }
        public void LineStarted(Line line) { }
        public void LineFinished(Line line) { }
        public void StateChanged(RoomState state) { }
    }
}
