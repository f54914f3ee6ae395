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
    void Insert(Line line, long order);
    void MarkStarted(string id, DateTimeOffset at);
    void MarkFinished(string id, FinishReason reason, DateTimeOffset at);

    /// <summary>Lines of a room that never finished, oldest first, those that were speaking before the rest.</summary>
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
