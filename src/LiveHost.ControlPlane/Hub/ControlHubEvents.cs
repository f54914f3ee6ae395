namespace LiveHost.ControlPlane;

/// <summary>Server-to-client event names (CONTRACT.md) and the SignalR group each room's events go to.</summary>
public static class ControlHubEvents
{
    public const string LineQueued = "LineQueued";
    public const string LineStarted = "LineStarted";
    public const string LineFinished = "LineFinished";
    public const string StateChanged = "StateChanged";
    public const string CommentPosted = "CommentPosted";
    public const string AnswerSuggested = "AnswerSuggested";

    /// <summary>The room's queue changed order or membership: <see cref="QueueChange"/>. Never dropped.</summary>
    public const string QueueChanged = "QueueChanged";

    /// <summary>The hub's path.</summary>
    public const string HubPath = "/hubs/control";

    public static string GroupFor(string room) => "room:" + room;

    /// <summary>Seller-and-up connections subscribed to the room: they receive every comment and FAQ suggestion.</summary>
    public static string StaffGroupFor(string room) => "staff:" + room;
}

/// <summary>Payload of <c>QueueChanged</c>: the ids of the room's waiting lines, in speaking order (0 = next).</summary>
public sealed record QueueChange(string Room, IReadOnlyList<string> LineIds);
