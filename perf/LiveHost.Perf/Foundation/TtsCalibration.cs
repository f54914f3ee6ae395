using System.Diagnostics;
using LiveHost.Perf.Measurement;
using LiveHost.Speech;

namespace LiveHost.Perf.Foundation;

/// <summary>Synthesis cost of one line, measured on the synthesizer's own thread.</summary>
public sealed record TtsLineCost(string Language, int TextLength, double AudioMs, double CpuMs, double WallMs, double FirstChunkMs)
{
    /// <summary>CPU per 40 ms of audio produced (per frame at 25 fps).</summary>
    public double CpuMsPerFrame(double frameMs) => AudioMs > 0 ? CpuMs * frameMs / AudioMs : double.NaN;
}

/// <summary>
/// Runs every scripted line through the real espeak-ng synthesizer before the rooms start, when its thread does
/// nothing else, and reads that thread's CPU time (scheduler nanoseconds) around each line. This gives a per-line
/// distribution of TTS CPU per frame of audio, which the live run (where synthesis overlaps playback and cut lines
/// stop early) can only give in total.
/// </summary>
public static class TtsCalibration
{
    public static async Task<IReadOnlyList<TtsLineCost>> RunAsync(ISpeechSynthesizer speech, int espeakThread, IEnumerable<ScriptedLine> lines, CancellationToken cancellationToken)
    {
        var costs = new List<TtsLineCost>();
        foreach (var line in lines)
        {
            var cpuBefore = ProcFs.ThreadCpu(espeakThread) ?? TimeSpan.Zero;
            var started = Stopwatch.GetTimestamp();
            long samples = 0;
            double firstChunkMs = double.NaN;
            using (var stream = speech.Start(new SpeechRequest(line.Text, line.Language, line.Voice)))
            {
                await foreach (var chunk in stream.Chunks.ReadAllAsync(cancellationToken))
                {
                    if (samples == 0 && chunk.Samples.Length > 0) firstChunkMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    samples += chunk.Samples.Length;
                }
            }
            var wallMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var cpuMs = ((ProcFs.ThreadCpu(espeakThread) ?? TimeSpan.Zero) - cpuBefore).TotalMilliseconds;
            costs.Add(new TtsLineCost(line.Language, line.Text.Length, samples * 1000.0 / EspeakSynthesizer.OutputSampleRate, cpuMs, wallMs, firstChunkMs));
        }
        return costs;
    }
}
