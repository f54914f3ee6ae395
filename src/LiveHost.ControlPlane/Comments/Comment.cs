namespace LiveHost.ControlPlane.Comments;

/// <summary>
/// A viewer's comment as staff (and, in rooms whose comments are public, every viewer) receive it in
/// <c>CommentPosted</c>. <see cref="Seq"/> counts the room's accepted comments from 1 (since the server started);
/// <see cref="Id"/> is <c>{room}-{seq}</c>. <see cref="Nickname"/> is null when none was given.
/// </summary>
public sealed record Comment(string Id, string Room, long Seq, string Text, string? Nickname, DateTimeOffset At, bool Anonymous);

/// <summary><c>AnswerSuggested</c>: an FAQ entry that matches a comment, and how well (0..1).</summary>
public sealed record AnswerSuggestion(Comment Comment, Faq.FaqEntry Entry, double Score);
