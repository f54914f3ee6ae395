using LiveHost.Engine.Lines;

namespace LiveHost.Engine.Persistence;

/// <summary>
/// Durable record of every accepted line. A line is written before it is acknowledged, so a line that was
/// accepted survives a crash; lines not finished at start are queued again (speaking ones first).
/// </summary>
public interface ILineStore
{
    void Insert(Line line, long order);
    void MarkStarted(string id, DateTimeOffset at);
    void MarkFinished(string id, FinishReason reason, DateTimeOffset at);

    /// <summary>Lines of a room that never finished, oldest first, those that were speaking before the rest.</summary>
    IReadOnlyList<Line> LoadUnfinished(string room);

    /// <summary>The order key to give a line put at the front of the queue (smaller than any queued line's).</summary>
    long NextFrontOrder(string room);

    long NextBackOrder(string room);
}
