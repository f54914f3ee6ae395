namespace LiveHost.Engine.Options;

/// <summary>Engine-wide settings, bound from <c>Engine</c>.</summary>
public sealed class EngineOptions
{
    /// <summary>
    /// Longest line accepted, in user-perceived characters (extended grapheme clusters, see <c>LineText</c>). About
    /// five minutes of speech.
    /// </summary>
    public int MaxTextLength { get; set; } = 5000;

    /// <summary>Longest tag accepted.</summary>
    public int MaxTagLength { get; set; } = 200;

    /// <summary>Queued lines per room beyond which new lines are refused.</summary>
    public int MaxQueueLength { get; set; } = 1000;

    /// <summary>Length of the fade applied when a line is cut (CueNow, Skip, Pause), so the cut does not click.</summary>
    public double CutFadeMilliseconds { get; set; } = 10;

    /// <summary>How far ahead of the sound the mouth moves: lips lead the voice they shape.</summary>
    public double VisemeLeadMilliseconds { get; set; } = 40;

    /// <summary>
    /// How far ahead of the picture the audio is placed and sent (rounded to whole ticks of each room). A browser
    /// buffers audio (its jitter buffer) but, with a zero playout delay, shows video at once and cannot hold it back
    /// to the sound; audio sent this much earlier is heard with its picture. Both tracks' timestamps stay true to media
    /// time. Only the mouth (viseme, loudness, speaking, the audio window a lip-synced presenter reads) waits for the
    /// lead; the rest of the screen follows the cue on the frame of the tick that applied it (a taken line's caption, a
    /// cut removing it, the product card, a presenter's action or switch). The cost: a cue or skip is heard, and its
    /// mouth moves, this much later, as audio already sent cannot be recalled (hence the bound of 200 ms). 0: audio and
    /// picture leave together. Default 40, measured in Chromium on the element's own audio path (issue 17, 2026-12-05:
    /// the sound handed to the output, from the receiver's synchronization sources, plus the output's delay): with 40 the
    /// sound led the picture by -10..+11 ms (p50 of each of four idle one-minute runs), with 80 by 22..39 (eight runs),
    /// with none it trailed. (80 was chosen on 2026-12-04 by a WebAudio tap, which hears the sound about 30 ms after the
    /// element does.)
    /// </summary>
    public double AudioLeadMilliseconds { get; set; } = 40;

    /// <summary>A tick later than this counts as late (and /healthz reports it).</summary>
    public double LateTickMilliseconds { get; set; } = 200;

    /// <summary>
    /// Worker threads the .NET thread pool keeps ready before it throttles (0: the runtime's own, one per core). The room
    /// clocks own threads, but the WebRTC send loops, their pacing timers and the encoders' audio run on the pool, and
    /// with one thread per core a burst of pool work (a line accepted, a page joining) left them waiting for the pool's
    /// half-second thread injection: Opus sends stalled 0.5-0.6 s on an idle 2-core machine and the browser's audio
    /// buffer grew to 600 ms (issue 17, 2026-12-05 00:45-00:58: 0 stalls with 16). Default 16.
    /// </summary>
    public int MinThreadPoolThreads { get; set; } = 16;

    /// <summary>How far ahead a line may be scheduled (<c>at</c>), in days.</summary>
    public int MaxScheduleDays { get; set; } = 30;

    /// <summary>
    /// How far in the past a line's <c>at</c> may be and still be accepted (it then goes to the front at once): the
    /// caller's clock and ours differ a little.
    /// </summary>
    public double ScheduleClockSlackMilliseconds { get; set; } = 1000;

    /// <summary>Every problem with these options, as messages that name the setting; empty when they are valid.</summary>
    /// <summary>How many queued lines each room synthesizes ahead of their turn (0: none, each starts when taken). Default 3.</summary>
    public int SpeakAheadLines { get; set; } = 3;

    /// <summary>No further line is synthesized ahead while this much audio (seconds) is already waiting. Default 60.</summary>
    public double SpeakAheadSeconds { get; set; } = 60;

    /// <summary>Memory cap of a room's lines synthesized ahead (MiB, 2 bytes a sample); past it the line furthest ahead is dropped. Default 32.</summary>
    public int SpeakAheadMegabytes { get; set; } = 32;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxTextLength is < 1 or > 20_000) errors.Add($"Engine:MaxTextLength must be 1 to 20000 (was {MaxTextLength}).");
        if (MaxTagLength is < 1 or > 1000) errors.Add($"Engine:MaxTagLength must be 1 to 1000 (was {MaxTagLength}).");
        if (MaxQueueLength is < 1 or > 100_000) errors.Add($"Engine:MaxQueueLength must be 1 to 100000 (was {MaxQueueLength}).");
        if (CutFadeMilliseconds is < 1 or > 40) errors.Add($"Engine:CutFadeMilliseconds must be 1 to 40, within one frame (was {CutFadeMilliseconds}).");
        if (VisemeLeadMilliseconds is < 0 or > 200) errors.Add($"Engine:VisemeLeadMilliseconds must be 0 to 200 (was {VisemeLeadMilliseconds}).");
        if (AudioLeadMilliseconds is < 0 or > 200) errors.Add($"Engine:AudioLeadMilliseconds must be 0 to 200 (was {AudioLeadMilliseconds}).");
        if (LateTickMilliseconds is < 40 or > 10_000) errors.Add($"Engine:LateTickMilliseconds must be 40 to 10000 (was {LateTickMilliseconds}).");
        if (MinThreadPoolThreads is < 0 or > 1024) errors.Add($"Engine:MinThreadPoolThreads must be 0 to 1024 (was {MinThreadPoolThreads}).");
        if (MaxScheduleDays is < 1 or > 366) errors.Add($"Engine:MaxScheduleDays must be 1 to 366 (was {MaxScheduleDays}).");
        if (SpeakAheadLines is < 0 or > 20) errors.Add($"Engine:SpeakAheadLines must be 0 to 20 (was {SpeakAheadLines}).");
        if (SpeakAheadSeconds is < 0 or > 3600) errors.Add($"Engine:SpeakAheadSeconds must be 0 to 3600 (was {SpeakAheadSeconds}).");
        if (SpeakAheadMegabytes is < 1 or > 4096) errors.Add($"Engine:SpeakAheadMegabytes must be 1 to 4096 (was {SpeakAheadMegabytes}).");
        if (ScheduleClockSlackMilliseconds is < 0 or > 60_000) errors.Add($"Engine:ScheduleClockSlackMilliseconds must be 0 to 60000 (was {ScheduleClockSlackMilliseconds}).");
        return errors;
    }
}
