using System.Globalization;
using System.Text;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using static System.FormattableString;

namespace LiveHost.Perf.Llm;

/// <summary>What one <c>llm-answer</c> run does.</summary>
public sealed record LlmAnswerOptions(int Comments, int WarmUp, IReadOnlyList<int> Rates, int FirstTokenMs, int BaselineSeconds, string OutputFolder,
    string CommandLine)
{
    public const string Usage = """
          --comments N       measured comments per token rate (default 30)
          --warmup N         comments before measuring, not counted (default 2)
          --rates A,B        the chat server's token rates, tokens/s (default 30,100)
          --first-token-ms N the chat server's time to first token (default 300)
          --baseline-seconds N  late ticks with the room idle first, for comparison (default 20)
          --out DIR          where the result files go (default perf/results)
        """;

    public static LlmAnswerOptions From(CommandArguments arguments)
    {
        var rates = arguments.Text("rates", "30,100").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 10_000
                ? n : throw new ArgumentException($"--rates: '{r}' is not a token rate from 1 to 10000"))
            .ToArray();
        var options = new LlmAnswerOptions(
            Comments: arguments.Number("comments", 30, 1, 10_000),
            WarmUp: arguments.Number("warmup", 2, 0, 100),
            Rates: rates,
            FirstTokenMs: arguments.Number("first-token-ms", 300, 0, 60_000),
            BaselineSeconds: arguments.Number("baseline-seconds", 20, 1, 3600),
            OutputFolder: arguments.Text("out", Path.Combine("perf", "results")),
            CommandLine: "llm-answer " + arguments.Raw);
        arguments.ThrowIfUnknown();
        if (rates.Length == 0) throw new ArgumentException("--rates names no rate");
        return options;
    }
}

/// <summary>One measured comment: from just before SendComment to the first audio sample of its answer.</summary>
public sealed record LlmAnswerSample(int Index, string CommentId, double CommentToFirstAudioMs);

/// <summary>The engine's clock over a window: how long, how many ticks were late, how many frames it rendered.</summary>
public sealed record TickWindow(double Seconds, long LateTicks, long FramesRendered);

/// <summary>One token rate: the model's own share (first sentence complete), the distribution, the engine's ticks meanwhile.</summary>
public sealed record LlmAnswerRun(int TokensPerSecond, double FirstSentenceCompleteMs, Distribution CommentToFirstAudio, TickWindow Ticks,
    IReadOnlyList<LlmAnswerSample> Samples);

/// <summary>What one <c>llm-answer</c> run measured.</summary>
public sealed record LlmAnswerResult(DateTimeOffset StartedAt, LlmAnswerOptions Options, MachineInfo Machine, double LoadAverageBefore, double LoadAverageAfter,
    TickWindow IdleBaseline, IReadOnlyList<LlmAnswerRun> Runs);

/// <summary>Writes an <see cref="LlmAnswerResult"/> as markdown, JSON and a console summary.</summary>
public static class LlmAnswerReport
{
    public static Task<(string Markdown, string Json)> WriteAsync(LlmAnswerResult result, CancellationToken cancellationToken)
        => ReportFiles.WriteAsync(result.Options.OutputFolder, $"{result.StartedAt:yyyy-MM-dd-HHmm}-llm-answer", result, jsonName => Markdown(result, jsonName), ReportFiles.Json, cancellationToken);

    public static string Summary(LlmAnswerResult result)
    {
        var s = new StringBuilder();
        var b = result.IdleBaseline;
        s.AppendLine(Invariant($"llm-answer idle baseline: {b.LateTicks} late ticks in {b.Seconds:0.0} s ({b.FramesRendered} frames); load average {result.LoadAverageBefore:0.00} -> {result.LoadAverageAfter:0.00}"));
        foreach (var r in result.Runs)
        {
            var d = r.CommentToFirstAudio;
            s.AppendLine(Invariant($"llm-answer {r.TokensPerSecond} tokens/s: comment -> first audio of the answer, n {d.Count}: p50 {d.P50:0.0} ms, p95 {d.P95:0.0} ms (min {d.Min:0.0}, max {d.Max:0.0}); the model's first sentence complete at {r.FirstSentenceCompleteMs:0} ms; late ticks {r.Ticks.LateTicks} in {r.Ticks.Seconds:0.0} s ({r.Ticks.FramesRendered} frames)"));
        }
        return s.ToString();
    }

    private static string Markdown(LlmAnswerResult r, string jsonName)
    {
        var s = new StringBuilder();
        ReportHeader.AppendTitle(s, "LLM answers: a viewer's comment -> first audio of the answer", r.StartedAt);
        ReportHeader.AppendCommand(s, r.Options.CommandLine);
        ReportHeader.AppendMachine(s, r.Machine, Invariant($"; load average {r.LoadAverageBefore:0.00} before, {r.LoadAverageAfter:0.00} after"));
        ReportHeader.AppendSoftware(s, "scripted chat-completions server (the tests' `ScriptedChatServer`, Kestrel on loopback)", r.Machine.DotNet, r.Machine.EspeakNg);
        s.AppendLine("- Host: the real `Program` in process on a loopback port, room main 1280x720 at 25 fps (engine ticking, espeak-ng voice, libx264), `Rooms:main:Llm:Mode` = auto; the comment is sent by a viewer over the hub (WebSocket) once the room is idle");
        s.AppendLine(Invariant($"- The chat server answers each request {r.Options.FirstTokenMs} ms after it arrives with its first token, then one token per 1/rate s on a fixed schedule: a first sentence of 12 tokens (complete when the 13th arrives), then a second of 11. {r.Options.WarmUp} warm-up comments per rate are not counted. Raw samples in `{jsonName}`"));
        s.AppendLine();
        s.AppendLine("From just before `SendComment` to the engine's `FirstAudioPlaced` for the answer's first line (tag `llm:{commentId}`), both on this process's Stopwatch. It covers the hub, the comment checks and FAQ match, the prompt, the HTTP request to the chat server and its streamed tokens, the sentence cut, the number check and moderation, the line's row in SQLite, the engine's next 40 ms tick and espeak-ng's first chunk. `first sentence` is the chat server's own share (first token + 12 more tokens at the rate); what is left is LiveHost's.");
        s.AppendLine();
        MarkdownTable.AppendHeader(s, "lrrrrrrrr", "tokens/s", "n", "first sentence (ms)", "p50", "p95", "min", "max", "mean", "late ticks / window");
        foreach (var run in r.Runs)
        {
            var d = run.CommentToFirstAudio;
            s.AppendLine(Invariant($"| {run.TokensPerSecond} | {d.Count} | {run.FirstSentenceCompleteMs:0} | {d.P50:0.0} | {d.P95:0.0} | {d.Min:0.0} | {d.Max:0.0} | {d.Mean:0.0} | {run.Ticks.LateTicks} in {run.Ticks.Seconds:0.0} s |"));
        }
        s.AppendLine(Invariant($"| idle room, no comments (baseline, before) | | | | | | | | {r.IdleBaseline.LateTicks} in {r.IdleBaseline.Seconds:0.0} s |"));
        s.AppendLine();
        s.AppendLine("A late tick is one more than `Engine:LateTickMilliseconds` (200 ms) behind the 25 fps clock. The baseline counts them with the room idle and no model at work, on the same machine just before: late ticks during the runs at the baseline's rate are the machine's, not the answers'.");
        return s.ToString();
    }
}
