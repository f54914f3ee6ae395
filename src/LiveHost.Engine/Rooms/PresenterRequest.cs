namespace LiveHost.Engine.Rooms;

/// <summary>
/// SetPresenter (hub) and <c>PUT /api/rooms/{room}/presenter</c>: who presents the room from now on.
/// <see cref="Avatar"/>: a built-in look (<c>cartoon</c>, <c>cartoon-b</c>, <c>cartoon-fullbody</c>) or an avatar package
/// directory. <see cref="Voice"/>: the room's new default voice (null: unchanged). <see cref="Now"/>: switch on the
/// next frame, mid-line; otherwise at the next moment between lines, or at <see cref="At"/> (a scheduled switch).
/// </summary>
public sealed record PresenterRequest(string? Avatar, string? Voice = null, bool? Now = null, DateTimeOffset? At = null, string? Room = null);
