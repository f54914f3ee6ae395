namespace LiveHost.Engine.Lines;

/// <summary>
/// What a seller or producer asks a room to say (CONTRACT.md). <paramref name="Interruptible"/> false (producer+):
/// a CueNow waits for this line to end. <paramref name="At"/> (producer+): the line waits in the room's schedule and at
/// that moment goes to the front of the queue. <paramref name="Product"/>: the product shown while it plays.
/// <paramref name="Caption"/>: shown instead of the text while the line is spoken (an FAQ answer shows the question).
/// <paramref name="Action"/>: an action of the room's presenter (<c>wave</c>...) played when the line starts speaking;
/// one the presenter does not have is refused when the line is submitted.
/// </summary>
public sealed record LineRequest(
    string? Room,
    string? Text,
    string? Language = null,
    string? Voice = null,
    string? Tag = null,
    bool? Interruptible = null,
    DateTimeOffset? At = null,
    string? Product = null,
    string? Caption = null,
    string? Action = null);

/// <summary>
/// Where a line enqueued by the server itself comes from (a script, an answer): see
/// <see cref="Rooms.RoomController.EnqueueAsync(LineRequest, LineOrigin, CancellationToken)"/>.
/// </summary>
public sealed record LineOrigin(string Source, string? ScriptId = null)
{
    public static readonly LineOrigin Live = new(LineSources.Live);
}
