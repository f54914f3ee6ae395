using System.Diagnostics;
using LiveHost.Perf.Cli;
using LiveHost.Perf.Measurement;
using LiveHost.Speech;
using LiveHost.Speech.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static System.FormattableString;

namespace LiveHost.Perf.Voices;

/// <summary>
/// Issue 12's numbers. Per provider (espeak-ng en-us, Flite slt, the OpenAI-compatible provider against a loopback
/// server with 0 and 200 ms before its first byte): first-audio latency (Start to first chunk) and CPU per second of
/// speech (process CPU time over audio produced; for the HTTP provider the in-process server's share is included).
/// Then cue to first audio for queued lines on a playback timeline (each line "plays" for its audio's length in real
/// time, the next is cued when it ends): without synthesis ahead the next line starts synthesizing at its cue; with
/// it, at the previous line's cue, as the engine's SpeechAhead does.
/// </summary>
public sealed class VoicesCommand : IBenchmarkCommand
{
    private static readonly string[] Lines =
    [
        "Welcome back everyone, tonight we have three new kitchen knives to show you.",
        "This one is forged from a single piece of steel and keeps its edge for years.",
        "If you order in the next ten minutes, shipping is free.",
        "Let me show you how it slices a tomato without crushing it.",
        "Thank you all for watching, and see you tomorrow at the same time.",
    ];

    public string Name => "voices";
    public string Summary => "first-audio latency and CPU per second of speech per provider (espeak, Flite, HTTP 0/200 ms), cue to first audio with and without synthesis ahead";
    public string Usage => "--rounds 2 (passes over the 5 lines, 1..20) --out perf/results";

    public async Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken)
    {
        var rounds = arguments.Number("rounds", 2, 1, 20);
        var folder = arguments.Text("out", "perf/results");
        arguments.ThrowIfUnknown();
        var startedAt = DateTimeOffset.Now;
        var machine = await MachineInfo.CollectAsync(cancellationToken);
        var loadBefore = ProcFs.LoadAverage();

        using var espeak = new EspeakSynthesizer(Options.Create(new SpeechOptions()), NullLogger<EspeakSynthesizer>.Instance);
        using var flite = new FliteSynthesizer(NullLogger<FliteSynthesizer>.Instance);
        await using var server = await ScriptedSpeechServer.StartAsync();
        var pcm = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var line in Lines) pcm[line] = await PcmAsync(flite, line, cancellationToken);

        var providers = new List<ProviderResult>();
        foreach (var (name, delay) in new[] { ("espeak en-us", -1), ("flite-slt", -1), ("http 0 ms", 0), ("http 200 ms", 200) })
        {
            using var voices = Voices(server, espeak, flite);
            var voice = name.StartsWith("espeak", StringComparison.Ordinal) ? "en-us" : name.StartsWith("flite", StringComparison.Ordinal) ? "flite-slt" : "nova";
            void Script(string text)
            {
                if (delay >= 0) server.ReplyPcm(pcm[text], chunkBytes: 4800, firstByteDelay: TimeSpan.FromMilliseconds(delay));
            }
            var firsts = new List<double>();
            double audioSeconds = 0;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            for (var r = 0; r < rounds; r++)
            {
                foreach (var text in Lines)
                {
                    Script(text);
                    var clock = Stopwatch.StartNew();
                    using var stream = voices.Start(new SpeechRequest(text, "en", voice));
                    var first = -1.0;
                    long samples = 0;
                    await foreach (var chunk in stream.Chunks.ReadAllAsync(cancellationToken))
                    {
                        if (first < 0) first = clock.Elapsed.TotalMilliseconds;
                        samples += chunk.Samples.Length;
                    }
                    firsts.Add(first);
                    audioSeconds += samples / 48000.0;
                }
            }
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
            var queuedWithout = await QueuedAsync(voices, voice, Script, ahead: false, cancellationToken);
            var queuedWith = await QueuedAsync(voices, voice, Script, ahead: true, cancellationToken);
            var result = new ProviderResult(name, Distribution.Of(firsts), audioSeconds, cpu / audioSeconds, Distribution.Of(queuedWithout), Distribution.Of(queuedWith));
            providers.Add(result);
            Console.WriteLine(Invariant($"{name}: first audio p50 {result.FirstAudioMs.P50:0.0} ms, CPU {result.CpuMsPerSpeechSecond:0.0} ms/s, queued cue->first audio p50 {result.QueuedWithoutAheadMs.P50:0.0} ms without ahead, {result.QueuedWithAheadMs.P50:0.0} ms with"));
        }

        var report = new VoicesResult(startedAt, rounds, machine, loadBefore, ProcFs.LoadAverage(), providers);
        var stem = $"{startedAt:yyyy-MM-dd-HHmm}-voices";
        var (markdown, json) = await ReportFiles.WriteAsync(folder, stem, report, jsonName => Report(report, arguments.Raw, jsonName), ReportFiles.Json, cancellationToken);
        Console.WriteLine($"wrote {markdown} and {json}");
        return 0;
    }

    // Lines cued one after another on a real-time playback timeline; returns each line's cue -> first chunk.
    private static async Task<List<double>> QueuedAsync(SpeechVoices voices, string voice, Action<string> script, bool ahead, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        SpeechStream? next = null;
        for (var i = 0; i < Lines.Length; i++)
        {
            if (next is null)
            {
                script(Lines[i]);
                next = voices.Start(new SpeechRequest(Lines[i], "en", voice));
            }
            var current = next;
            next = null;
            var cue = Stopwatch.StartNew();
            var first = true;
            var samples = 0L;
            var playing = Task.CompletedTask;
            if (ahead && i + 1 < Lines.Length)
            {
                script(Lines[i + 1]);
                next = voices.Start(new SpeechRequest(Lines[i + 1], "en", voice));
            }
            await foreach (var chunk in current.Chunks.ReadAllAsync(cancellationToken))
            {
                if (first)
                {
                    latencies.Add(cue.Elapsed.TotalMilliseconds);
                    first = false;
                }
                samples += chunk.Samples.Length;
            }
            current.Dispose();
            // The line plays for as long as its audio lasts.
            var remaining = TimeSpan.FromSeconds(samples / 48000.0) - cue.Elapsed;
            if (remaining > TimeSpan.Zero) await Task.Delay(remaining, cancellationToken);
        }
        return latencies;
    }

    private static SpeechVoices Voices(ScriptedSpeechServer server, EspeakSynthesizer espeak, FliteSynthesizer flite)
    {
        var options = new SpeechOptions();
        options.Voices["nova"] = new SpeechVoiceOptions { Provider = "openai", BaseUrl = server.BaseUrl, Model = "kokoro", Voice = "af_heart", SampleRate = 48000 };
        return new SpeechVoices(options, espeak, flite, TimeProvider.System, NullLoggerFactory.Instance);
    }

    private static async Task<byte[]> PcmAsync(FliteSynthesizer flite, string text, CancellationToken cancellationToken)
    {
        var samples = new List<short>();
        using var stream = flite.Start(new SpeechRequest(text, "en", "flite-slt"));
        await foreach (var chunk in stream.Chunks.ReadAllAsync(cancellationToken)) samples.AddRange(chunk.Samples);
        var bytes = new byte[samples.Count * 2];
        Buffer.BlockCopy(samples.ToArray(), 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static string Report(VoicesResult result, string arguments, string jsonName)
    {
        var table = new System.Text.StringBuilder();
        MarkdownTable.AppendHeader(table, "lrrrrr", "provider", "first audio p50 ms", "p95 ms", "CPU ms per s of speech", "queued cue->first audio p50 ms, no ahead", "with ahead");
        foreach (var p in result.Providers)
        {
            table.AppendLine(Invariant($"| {p.Provider} | {p.FirstAudioMs.P50:0.0} | {p.FirstAudioMs.P95:0.0} | {p.CpuMsPerSpeechSecond:0.0} | {p.QueuedWithoutAheadMs.P50:0.0} | {p.QueuedWithAheadMs.P50:0.0} |"));
        }
        return $"""
            # Voices: first audio, CPU, cue to first audio ({result.StartedAt:yyyy-MM-dd HH:mm zzz})

            `LiveHost.Perf voices {arguments}`; raw data: [{jsonName}]({jsonName}).
            Machine: {result.Machine.CpuModel}, {result.Machine.LogicalCores} logical cores; load {result.LoadBefore:0.0} before, {result.LoadAfter:0.0} after.
            {result.Rounds} rounds over 5 English lines. The HTTP provider talks to an in-process Kestrel server on loopback
            streaming Flite audio (48 kHz PCM, 4800-byte pieces) after 0 or 200 ms; its CPU includes that server.
            Queued lines: a real-time playback timeline, each line cued when the previous one's audio has played.

            {table}
            """;
    }

    private sealed record ProviderResult(string Provider, Distribution FirstAudioMs, double AudioSeconds, double CpuMsPerSpeechSecond,
        Distribution QueuedWithoutAheadMs, Distribution QueuedWithAheadMs);

    private sealed record VoicesResult(DateTimeOffset StartedAt, int Rounds, MachineInfo Machine, double LoadBefore, double LoadAfter, IReadOnlyList<ProviderResult> Providers);
}
