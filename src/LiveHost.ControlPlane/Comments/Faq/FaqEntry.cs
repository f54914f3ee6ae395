namespace LiveHost.ControlPlane.Comments.Faq;

/// <summary>
/// One FAQ entry of a room: the ways viewers ask it (<see cref="Questions"/>, the first is the one shown), the answer
/// the presenter reads, its language (<c>en</c> or <c>zh</c>) and optionally the product it is about. <see cref="Id"/>
/// null on save creates the entry.
/// </summary>
public sealed record FaqEntry(string? Id, string? Room, IReadOnlyList<string> Questions, string Answer, string? Language, string? Product = null,
    DateTimeOffset? UpdatedAt = null);
