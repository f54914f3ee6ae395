using LiveHost.Engine.Rooms;
using Microsoft.Extensions.Logging;

namespace LiveHost.ControlPlane;

/// <summary>
/// What every <see cref="IAuditLog"/> store shares: entries that could not be written are held, in order, and written
/// before anything newer (a command is refused, <c>storageFailed</c>, while they still cannot be); paging; and
/// verification of the chain from the first entry. A store says how to write a batch of records (linking them to the
/// chain's head, <see cref="Link"/>), how to read rows and how to count them.
/// </summary>
public abstract partial class ChainedAuditLog : IAuditLog
{
    private const int VerifyChunk = 1000;

    private readonly ILogger _logger;
    private readonly Lock _append = new();
    private readonly List<AuditRecord> _held = [];
    private string? _problem;

    protected ChainedAuditLog(ILogger logger) => _logger = logger;

    /// <summary>
    /// Writes <paramref name="records"/> (in order, one transaction) after the chain's current head; returns the entries
    /// written. Throws an exception <see cref="IsStorageFailure"/> recognizes when storage fails (nothing written then).
    /// Called under the append lock.
    /// </summary>
    protected abstract IReadOnlyList<AuditEntry> WriteLinked(IReadOnlyList<AuditRecord> records);

    /// <summary>Entries after <paramref name="after"/>, oldest first, at most <paramref name="limit"/>, optionally of one room.</summary>
    protected abstract List<AuditEntry> ReadRows(string? room, long after, int limit);

    protected abstract long CountRows();

    /// <summary>Whether an exception from <see cref="WriteLinked"/> means storage is failing (the records are then held).</summary>
    protected abstract bool IsStorageFailure(Exception exception);

    /// <summary>The entries <paramref name="records"/> become after the head (<paramref name="lastSeq"/>, <paramref name="lastHash"/>).</summary>
    protected static List<AuditEntry> Link(long lastSeq, string lastHash, IReadOnlyList<AuditRecord> records)
    {
        var entries = new List<AuditEntry>(records.Count);
        var seq = lastSeq;
        var previous = lastHash;
        foreach (var record in records)
        {
            seq++;
            var at = AuditCanonicalForm.FormatTime(record.At);
            var canonical = AuditCanonicalForm.Canonical(seq, at, record.KeyName, record.Role, record.Room, record.Command, record.Arguments, record.Result);
            var hash = AuditCanonicalForm.Hash(previous, canonical);
            entries.Add(new AuditEntry(seq, at, record.KeyName, record.Role, record.Room, record.Command, record.Arguments, record.Result, previous, hash));
            previous = hash;
        }
        return entries;
    }

    public void EnsureWritable()
    {
        lock (_append)
        {
            if (_held.Count == 0) return;
            WriteHeld();
            if (_held.Count > 0)
            {
                throw new CommandRejectedException(RejectionCode.StorageFailed,
                    $"storage is failing: the audit log cannot be written ({_problem}); {_held.Count} entries are held; nothing was done");
            }
        }
    }

    public AuditEntry? Append(AuditRecord record)
    {
        lock (_append)
        {
            _held.Add(record);
            var written = WriteHeld();
            return _held.Count == 0 ? written : null;
        }
    }

    /// <summary>Writes every held record, in order, in one transaction. Returns the last entry written.</summary>
    private AuditEntry? WriteHeld()
    {
        IReadOnlyList<AuditEntry> entries;
        try
        {
            entries = WriteLinked(_held);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            var wasFailing = _problem is not null;
            _problem = ex.Message.TrimEnd('.');
            var record = _held[^1];
            LogHeld(record.Command, record.KeyName, record.Room, record.Arguments, record.Result, _held.Count, _problem);
            if (!wasFailing) LogFailing(ex);
            return null;
        }

        if (_problem is not null)
        {
            LogRecovered(entries.Count);
            _problem = null;
        }
        _held.Clear();
        return entries[^1];
    }

    public AuditPage Read(string? room, long after, int limit)
    {
        var entries = ReadRows(room, after, limit + 1);
        if (entries.Count <= limit) return new AuditPage(entries, null);
        entries.RemoveAt(entries.Count - 1);
        return new AuditPage(entries, entries[^1].Seq);
    }

    public AuditVerification Verify()
    {
        long expected = 1;
        var previous = AuditCanonicalForm.Genesis;
        var total = CountRows();
        // In chunks, so no lock a store takes is held for a whole long log.
        while (true)
        {
            var chunk = ReadRows(null, expected - 1, VerifyChunk);
            if (chunk.Count == 0) return new AuditVerification(true, total, null, null, previous);
            foreach (var entry in chunk)
            {
                if (entry.Seq != expected)
                {
                    return Broken(total, expected, entry.Seq == expected + 1
                        ? $"entry {expected} is missing: the log goes from entry {expected - 1} to entry {entry.Seq} (a row was deleted)"
                        : $"entries {expected} to {entry.Seq - 1} are missing: the log goes from entry {expected - 1} to entry {entry.Seq} (rows were deleted)", previous);
                }
                if (AuditCanonicalForm.HashOf(entry) != entry.Hash)
                {
                    return Broken(total, entry.Seq, $"entry {entry.Seq} was altered: its contents do not match its hash", previous);
                }
                if (entry.PrevHash != previous)
                {
                    return Broken(total, entry.Seq,
                        $"entry {entry.Seq} does not link to entry {entry.Seq - 1}: the previous hash it was written with is not entry {entry.Seq - 1}'s " +
                        $"hash (entry {entry.Seq - 1} was rewritten and its hash recomputed, or replaced)", previous);
                }
                previous = entry.Hash;
                expected++;
            }
        }
    }

    private AuditVerification Broken(long total, long at, string reason, string head)
    {
        LogBroken(at, reason);
        return new AuditVerification(false, total, at, reason, head);
    }

    /// <summary>Reads one entry from a row of the ten audit columns (seq, at, key_name, role, room, command, arguments, result, prev_hash, hash).</summary>
    protected static AuditEntry ReadEntry(System.Data.Common.DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        reader.GetString(7),
        reader.GetString(8),
        reader.GetString(9));

    /// <summary>The ten audit columns, in <see cref="ReadEntry"/>'s order.</summary>
    protected const string Columns = "seq, at, key_name, role, room, command, arguments, result, prev_hash, hash";

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit log cannot be written; commands are refused (storageFailed) until it can")]
    private partial void LogFailing(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit entry held, not yet on disk ({Held} held; {Problem}): {Command} by {KeyName} in {Room} {Arguments} -> {Result}")]
    private partial void LogHeld(string command, string? keyName, string? room, string arguments, string result, int held, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "The audit log is written again; {Written} held entries are on disk")]
    private partial void LogRecovered(int written);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit chain broken at entry {Seq}: {Reason}")]
    private partial void LogBroken(long seq, string reason);
}
