using LiveHost.Engine.Lines;

namespace LiveHost.Engine.Persistence;

/// <summary>
/// Durable record of every accepted line. A line is written before it is acknowledged, so a line that was
/// accepted survives a crash; lines not finished at start are queued again (speaking ones first). Audio lines keep
/// their clip in a file next to the store, referenced from the line's record. Calls may touch the disk: rooms reach
/// the store at start (loads) and through <see cref="StorageJournal"/> (writes), never from their tick.
/// </summary>
public interface ILineStore
{
    /// <summary>Writes a new line's row: queued with <paramref name="order"/>, or scheduled when it has <see cref="Line.At"/>.</summary>
    void Insert(Line line, long order);

    /// <summary>
    /// Writes a new line's row and the queue's new order, in one transaction: <paramref name="order"/> lists the waiting
    /// lines (the new one among them); each gets the order key <c>FirstOrder + its index</c>.
    /// </summary>
    void InsertAt(Line line, QueueOrder order);

    /// <summary>Gives the queued lines listed their new order keys (<c>FirstOrder + index</c>), in one transaction.</summary>
    void Reorder(QueueOrder order);

    /// <summary>A scheduled line's moment came: it is queued from now on, with <paramref name="order"/>.</summary>
    void MarkFired(string id, long order);

    /// <summary>A room's scheduled lines that have not gone to the queue yet, soonest first.</summary>
    IReadOnlyList<Line> LoadScheduled(string room);

    /// <summary>Where a line of <paramref name="room"/> stands on disk (scheduled lines say queued), or null when the room has no such line.</summary>
    LineStatus? FindStatus(string room, string id);

    void MarkStarted(string id, DateTimeOffset at);
    void MarkFinished(string id, FinishReason reason, DateTimeOffset at);

    /// <summary>
    /// Lines of a room that never finished, in queue order (order key), those that were speaking before the rest.
    /// Scheduled lines are not among them (<see cref="LoadScheduled"/>).
    /// </summary>
    IReadOnlyList<Line> LoadUnfinished(string room);

    /// <summary>The order key to give a line put at the front of the queue (smaller than any queued line's).</summary>
    long NextFrontOrder(string room);

    long NextBackOrder(string room);

    /// <summary>
    /// Writes an audio line's clip (48 kHz mono 16-bit) durably, before its line is inserted. Call it outside the
    /// queue's lock: a two-minute clip is 11 MiB. The clip is deleted when its line is marked finished.
    /// </summary>
    void SaveClip(string id, ReadOnlySpan<short> samples);

    /// <summary>Opens an audio line's stored clip (raw little-endian 16-bit samples) for reading.</summary>
    /// <exception cref="FileNotFoundException">The line has no clip, or its file is gone.</exception>
    Stream OpenClip(string id);

    /// <summary>Makes a small write; throws when the store cannot write now (the journal's probe while storage fails).</summary>
    void CheckWritable();

    /// <summary>Removes a clip whose line will never be inserted (the insert failed); no error when there is none.</summary>
    void DeleteClip(string id);
}

/// <summary>The waiting lines of a room in speaking order, and the order key the first one gets (the next get +1 each).</summary>
public sealed record QueueOrder(IReadOnlyList<string> Ids, long FirstOrder);
