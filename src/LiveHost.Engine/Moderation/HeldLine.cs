using LiveHost.Engine.Lines;

namespace LiveHost.Engine.Moderation;

/// <summary>
/// A line that waits for a producer (mode <c>review</c>): the line as it would be queued (its id stays the same once
/// approved), whether it was cued, the blocked term that held it, and when.
/// </summary>
public sealed record HeldLine(Line Line, bool Cue, TermHit Term, DateTimeOffset HeldAt);
