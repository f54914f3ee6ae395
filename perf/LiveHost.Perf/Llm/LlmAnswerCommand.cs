using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Llm;
using LiveHost.ControlPlane.Tests.Llm;
using LiveHost.Engine.Lines;
using LiveHost.Host.Rooms;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHost.Perf.Llm;

/// <summary>
/// A viewer's comment -> the first audio sample of the model's answer (issue 18, point 5). The real host runs in this
/// process on a loopback port (engine ticking at 25 fps, espeak-ng voice, room main in LLM mode <c>auto</c>); the model is
/// the scripted chat-completions server of the tests on another loopback port, answering each request after
/// <c>--first-token-ms</c> with tokens paced at each rate of <c>--rates</c> (tokens per second, on a schedule from the
/// request, not drifting). Each comment is sent over the hub by a viewer once the room is idle; the time is taken just
/// before the call and at the engine's <see cref="LiveHost.Engine.Rooms.RoomEngine.FirstAudioPlaced"/> for the answer's
/// first line (tag <c>llm:{commentId}</c>), both on this process's Stopwatch. The engine's late-tick count is read
/// before and after each rate.
/// </summary>
public sealed class LlmAnswerCommand : IBenchmarkCommand
{
    private const string ProducerKey = "perf-llm-producer-key-0123456789";
    private const string ViewerKey = "perf-llm-viewer-key-0123456789";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The answer, one token a word or mark: a first sentence of 12 tokens, then a second one.</summary>
    private static readonly string[] Tokens =
    [
        "Thanks", " for", " asking", ",", " the", " kettle", " ships", " today", " from", " our", " warehouse", ".",
        " It", " comes", " with", " a", " printed", " manual", " and", " a", " gift", " box", ".",
    ];

    public string Name => "llm-answer";
    public string Summary => "A viewer's comment -> first audio of the LLM's answer (scripted chat server on loopback), p50/p95 per token rate; late ticks meanwhile";
    public string Usage => LlmAnswerOptions.Usage;

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var options = LlmAnswerOptions.From(arguments);
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        System.Console.WriteLine($"llm-answer: {options.Comments} comments (+{options.WarmUp} warm-up) per rate [{string.Join(", ", options.Rates)}] tokens/s, first token after {options.FirstTokenMs} ms, on {machine.CpuModel} ({machine.LogicalCores} cores)");
        await using var chat = await ScriptedChatServer.StartAsync();
        return await InProcessHost.RunAsync("livehost-llm-answer-", b =>
        {
            b.UseSetting("Auth:Keys:0:Key", ProducerKey);
            b.UseSetting("Auth:Keys:0:Role", "producer");
            b.UseSetting("Auth:Keys:0:Name", "perf producer");
            b.UseSetting("Auth:Keys:1:Key", ViewerKey);
            b.UseSetting("Auth:Keys:1:Role", "viewer");
            b.UseSetting("Auth:Keys:1:Name", "perf viewer");
            b.UseSetting("Llm:BaseUrl", chat.BaseUrl);
            b.UseSetting("Llm:Model", "scripted");
            b.UseSetting("Llm:AnswersPerMinute", "600");
            b.UseSetting("Rooms:main:Llm:Mode", "auto");
            b.UseSetting("Comments:MinInterval", "00:00:00");
            b.UseSetting("Comments:PerAddressPerMinute", "100000");
        }, async (factory, port) =>
        {
            var room = factory.Services.GetRequiredService<LiveRooms>().All.Single(r => r.Name == "main");
            await using var producer = await ConnectAsync(port, ProducerKey, cancellationToken);
            await using var viewer = await ConnectAsync(port, ViewerKey, cancellationToken);
            var load0 = ProcFs.LoadAverage();
            var baseline = await IdleAsync(room, options.BaselineSeconds, cancellationToken);
            var runs = new List<LlmAnswerRun>();
            foreach (var rate in options.Rates)
            {
                runs.Add(await MeasureAsync(room, chat, producer, viewer, rate, options, cancellationToken));
            }
            var result = new LlmAnswerResult(startedAt, options, machine, load0, ProcFs.LoadAverage(), baseline, runs);
            var (markdown, json) = await LlmAnswerReport.WriteAsync(result, cancellationToken);
            System.Console.Write(LlmAnswerReport.Summary(result));
            System.Console.WriteLine($"wrote {markdown} and {json}");
            return runs.All(r => r.Ticks.LateTicks == 0) ? 0 : 1;
        });
    }

    /// <summary>The engine's late ticks over a window with the room idle and no model at work: what the machine alone costs.</summary>
    private static async Task<TickWindow> IdleAsync(LiveRoom room, int seconds, CancellationToken cancellationToken)
    {
        var (late, frames, started) = (room.Engine.Statistics.LateTicks, room.Engine.Statistics.FramesRendered, Stopwatch.GetTimestamp());
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken); // a measurement window, not a wait for an event
        return new TickWindow(Stopwatch.GetElapsedTime(started).TotalSeconds, room.Engine.Statistics.LateTicks - late,
            room.Engine.Statistics.FramesRendered - frames);
    }

    private static async Task<LlmAnswerRun> MeasureAsync(LiveRoom room, ScriptedChatServer chat, HubConnection producer, HubConnection viewer,
        int rate, LlmAnswerOptions options, CancellationToken cancellationToken)
    {
        var firstAudio = new ConcurrentDictionary<string, TaskCompletionSource<long>>(StringComparer.Ordinal);
        void OnFirstAudio(Line line, long frameIndex)
        {
            var at = Stopwatch.GetTimestamp();
            if (line.Tag is { } tag) firstAudio.GetOrAdd(tag, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(at);
        }
        var ended = Channel.CreateUnbounded<LlmAnswerEnded>();
        var finished = Channel.CreateUnbounded<Line>();
        using var onEnded = producer.On<LlmAnswerEnded>(LlmAnswerer.EndedEvent, e => ended.Writer.TryWrite(e));
        using var onFinished = producer.On<Line>("LineFinished", l => finished.Writer.TryWrite(l));
        room.Engine.FirstAudioPlaced += OnFirstAudio;
        var (lateBefore, framesBefore, started) = (room.Engine.Statistics.LateTicks, room.Engine.Statistics.FramesRendered, Stopwatch.GetTimestamp());
        var samples = new List<LlmAnswerSample>();
        try
        {
            for (var i = 0; i < options.WarmUp + options.Comments; i++)
            {
                chat.Reply(reply => PacedAsync(reply, rate, options.FirstTokenMs));
                var sentAt = Stopwatch.GetTimestamp();
                var comment = await viewer.InvokeAsync<Comment>("SendComment", $"question {i + 1}: when does the kettle ship?", "perf", "main", cancellationToken);
                var placedAt = await firstAudio.GetOrAdd("llm:" + comment.Id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task
                    .WaitAsync(Patience, cancellationToken);
                var end = await ReadUntilAsync(ended.Reader, e => e.CommentId == comment.Id, cancellationToken);
                if (end.Outcome != "completed") throw new InvalidOperationException($"answer to {comment.Id} ended {end.Outcome}: {end.Reason}");
                // The room is idle before the next comment: its answer's lines are cut short (cleared, skipped).
                await producer.InvokeAsync("ClearQueue", "main", cancellationToken);
                await producer.InvokeAsync("Skip", "main", cancellationToken);
                var waiting = end.LineIds.ToHashSet(StringComparer.Ordinal);
                while (waiting.Count > 0) waiting.Remove((await ReadUntilAsync(finished.Reader, l => waiting.Contains(l.Id), cancellationToken)).Id);
                var ms = Stopwatch.GetElapsedTime(sentAt, placedAt).TotalMilliseconds;
                if (i >= options.WarmUp) samples.Add(new LlmAnswerSample(i + 1 - options.WarmUp, comment.Id, ms));
                System.Console.Write(i < options.WarmUp ? "w" : ".");
            }
        }
        finally
        {
            room.Engine.FirstAudioPlaced -= OnFirstAudio;
        }
        System.Console.WriteLine();
        var firstSentenceMs = options.FirstTokenMs + (Tokens.TakeWhile(t => t != ".").Count() + 1) * 1000.0 / rate;
        var window = new TickWindow(Stopwatch.GetElapsedTime(started).TotalSeconds, room.Engine.Statistics.LateTicks - lateBefore,
            room.Engine.Statistics.FramesRendered - framesBefore);
        return new LlmAnswerRun(rate, firstSentenceMs, Distribution.Of(samples.Select(s => s.CommentToFirstAudioMs)), window, samples);
    }

    /// <summary>The first token <paramref name="firstTokenMs"/> after the request, then one every 1/rate s, on a fixed schedule.</summary>
    private static async Task PacedAsync(ChatReply reply, int rate, int firstTokenMs)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Tokens.Length; i++)
        {
            var due = TimeSpan.FromMilliseconds(firstTokenMs + i * 1000.0 / rate) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero) await Task.Delay(due);
            await reply.SendAsync(Tokens[i]);
        }
        await reply.DoneAsync();
    }

    private static async Task<T> ReadUntilAsync<T>(ChannelReader<T> reader, Func<T, bool> match, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        while (true)
        {
            var item = await reader.ReadAsync(timeout.Token);
            if (match(item)) return item;
        }
    }

    private static async Task<HubConnection> ConnectAsync(int port, string key, CancellationToken cancellationToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl($"http://127.0.0.1:{port}/hubs/control", o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(key);
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        await connection.StartAsync(cancellationToken);
        return connection;
    }
}
