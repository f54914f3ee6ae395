namespace LiveHost.Engine.Moderation;

/// <summary>
/// A room's policy for what may go on air, asked once for every line before it is accepted (typed, script, product,
/// FAQ answer, auto-answer: they all enter through <see cref="Rooms.RoomController"/>).
/// </summary>
public interface ILinePolicy
{
    LineVerdict Check(string room, string text, string? caption);
}

/// <summary>Pass (<see cref="Hit"/> null), or the first blocked term and what the room does with it.</summary>
public sealed record LineVerdict(TermHit? Hit, ModerationMode Mode)
{
    public static LineVerdict Pass { get; } = new(null, ModerationMode.Off);

    public bool Passed => Hit is null || Mode == ModerationMode.Off;
}
