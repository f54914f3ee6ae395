using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;

namespace LiveHost.Engine.Tests.Doubles;

/// <summary>
/// FAULT INJECTION around the real <see cref="SqliteLineStore"/>: while <see cref="Failing"/>, every write throws the
/// IOException a dying disk gives; while <see cref="Hang"/> is reset, every write blocks until it is set (a disk that
/// does not answer). Reads pass through.
/// </summary>
public sealed class FaultyStore(SqliteLineStore inner) : ILineStore, IRoomStateStore
{
    public volatile bool Failing;

    /// <summary>Set: writes go through. Reset: writes wait for it (a hung disk).</summary>
    public ManualResetEventSlim Hang { get; } = new(initialState: true);

    public void Insert(Line line, long order) => Write(() => inner.Insert(line, order));
    public void InsertAt(Line line, QueueOrder order) => Write(() => inner.InsertAt(line, order));
    public void Reorder(QueueOrder order) => Write(() => inner.Reorder(order));
    public void MarkFired(string id, long order) => Write(() => inner.MarkFired(id, order));
    public IReadOnlyList<Line> LoadScheduled(string room) => inner.LoadScheduled(room);
    public LineStatus? FindStatus(string room, string id) => inner.FindStatus(room, id);
    public void MarkStarted(string id, DateTimeOffset at) => Write(() => inner.MarkStarted(id, at));
    public void MarkFinished(string id, FinishReason reason, DateTimeOffset at) => Write(() => inner.MarkFinished(id, reason, at));
    public void SaveRoomState(string room, StoredRoomState state) => Write(() => inner.SaveRoomState(room, state));
    public void CheckWritable() => Write(inner.CheckWritable);
    public IReadOnlyList<Line> LoadUnfinished(string room) => inner.LoadUnfinished(room);
    public StoredRoomState? LoadRoomState(string room) => inner.LoadRoomState(room);
    public long NextFrontOrder(string room) => inner.NextFrontOrder(room);
    public long NextBackOrder(string room) => inner.NextBackOrder(room);
    public void SaveClip(string id, ReadOnlySpan<short> samples) => inner.SaveClip(id, samples);
    public Stream OpenClip(string id) => inner.OpenClip(id);
    public void DeleteClip(string id) => inner.DeleteClip(id);

    private void Write(Action write)
    {
        Hang.Wait();
        if (Failing) throw new IOException("disk I/O error (injected)");
        write();
    }
}
