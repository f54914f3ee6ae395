using System.Diagnostics;
using LiveHost.Engine.Lines;

namespace LiveHost.Perf.Foundation;

/// <summary>
/// Sends one room its script through the room's real controller (the code behind the REST and SignalR commands):
/// an Enqueue once the room has gone idle, then a CueNow while that line is speaking, and so on, waiting for each
/// line's first sample before the next command.
/// </summary>
public static class RoomDriver
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(60);

    public static async Task<IReadOnlyList<LineProgress>> RunAsync(RoomProbe probe, IReadOnlyList<ScriptedLine> script, CancellationToken cancellationToken)
    {
        var room = probe.Room;
        var sent = new List<LineProgress>(script.Count);
        LineProgress? previous = null;
        foreach (var line in script)
        {
            if (line.Command == CueCommand.Enqueue && previous is not null)
            {
                await previous.Finished.Task.WaitAsync(FinishTimeout, cancellationToken);
                while (room.Engine.CurrentLine is not null) await Task.Delay(5, cancellationToken);
            }
            await Task.Delay(line.Delay, cancellationToken);

            var speaking = room.Engine.CurrentLine;
            var request = new LineRequest(room.Name, line.Text, line.Language, line.Voice, Tag: $"perf-{line.Index}");
            var commandTimestamp = Stopwatch.GetTimestamp();
            var ticket = line.Command == CueCommand.Enqueue
                ? await room.Controller.EnqueueAsync(request, cancellationToken)
                : await room.Controller.CueNowAsync(request, cancellationToken);
            var accepted = Stopwatch.GetTimestamp();

            var progress = probe.Line(ticket.Id);
            progress.Script = line;
            progress.CommandTimestamp = commandTimestamp;
            progress.AcceptedTimestamp = accepted;
            progress.InterruptedLineId = line.Command == CueCommand.CueNow ? speaking?.Id : null;
            sent.Add(progress);
            await progress.FirstAudio.Task.WaitAsync(StartTimeout, cancellationToken);
            previous = progress;
        }
        if (previous is not null) await previous.Finished.Task.WaitAsync(FinishTimeout, cancellationToken);
        return sent;
    }

    /// <summary>Lines that run everything once (JIT, x264's first frames, espeak's voice loading) before anything is timed.</summary>
    public static async Task WarmUpAsync(RoomProbe probe, CancellationToken cancellationToken)
    {
        var room = probe.Room;
        foreach (var (text, language, voice) in new[] { ("Warming up.", "en", "en-us"), ("预热一下。", "zh", "cmn") })
        {
            var ticket = await room.Controller.EnqueueAsync(new LineRequest(room.Name, text, language, voice, Tag: "perf-warmup"), cancellationToken);
            await probe.Line(ticket.Id).Finished.Task.WaitAsync(FinishTimeout, cancellationToken);
        }
    }
}
