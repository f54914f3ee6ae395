namespace LiveHost.Engine.Lines;

/// <summary>Receipt for an accepted line. Position 0 means it is being spoken (CueNow) or is next.</summary>
public sealed record LineTicket(string Id, string Room, int Position);
