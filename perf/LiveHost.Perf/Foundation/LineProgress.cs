using LiveHost.Engine.Lines;

namespace LiveHost.Perf.Foundation;

/// <summary>
/// What happened to one line, as Stopwatch timestamps. The driver fills in the command; the room's engine loop
/// (through <see cref="RoomProbe"/>) fills in the rest. Fields are read only after the tasks below complete.
/// </summary>
public sealed class LineProgress(string lineId)
{
    public string LineId { get; } = lineId;
    public ScriptedLine? Script { get; set; }

    /// <summary>Just before the controller was called.</summary>
    public long CommandTimestamp { get; set; }

    /// <summary>When the controller returned (validated and stored).</summary>
    public long AcceptedTimestamp { get; set; }

    /// <summary>Id of the line that was speaking when a CueNow was sent; null when the room was idle.</summary>
    public string? InterruptedLineId { get; set; }

    /// <summary>The engine took the line off the queue and started its synthesis.</summary>
    public long TakenTimestamp { get; set; }

    /// <summary>The frame of the tick that took the line: the first to show it (its caption), whatever the audio lead.</summary>
    public long TakenFrame { get; set; } = -1;

    /// <summary>The engine placed the line's first sample (any level) into a tick; the frame is the tick's on the audio's
    /// timeline (its frame index plus the audio lead): the frame that shows that sound.</summary>
    public long FirstAudioTimestamp { get; set; }
    public long FirstAudioFrame { get; set; } = -1;

    /// <summary>The tick holding the line's first non-silent sample (|s| at or above -40 dBFS), when it went to the encoder;
    /// the frame, like <see cref="FirstAudioFrame"/>, is the one that shows that sound (its mouth).</summary>
    public long AudibleTimestamp { get; set; }
    public long AudibleFrame { get; set; } = -1;

    /// <summary>Position of that sample on the room's 48 kHz timeline.</summary>
    public long AudibleSample { get; set; } = -1;

    public FinishReason? Finish { get; set; }
    public long FinishedTimestamp { get; set; }
    public long FinishedFrame { get; set; } = -1;

    public TaskCompletionSource FirstAudio { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
