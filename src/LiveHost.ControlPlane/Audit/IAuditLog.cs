namespace LiveHost.ControlPlane;

/// <summary>
/// The append-only, hash-chained record of every command that changes a room or a library (see
/// <see cref="AuditCanonicalForm"/> for what each entry's hash covers). Written by <see cref="AuditHubFilter"/> and
/// <see cref="AuditMiddleware"/> on the caller's thread, never on a room's tick; read by <c>GET /api/audit</c>.
/// </summary>
public interface IAuditLog
{
    /// <summary>
    /// Before a command runs: writes entries held after a failed write; throws a <c>CommandRejectedException</c>
    /// (<c>storageFailed</c>) while they still cannot be written, so no command runs unrecorded.
    /// </summary>
    void EnsureWritable();

    /// <summary>
    /// Appends the entry and returns it with its sequence number and hash once it is on disk. When the write fails the
    /// entry is kept, in order, and written by the next <see cref="EnsureWritable"/> or append; null is returned then.
    /// </summary>
    AuditEntry? Append(AuditRecord record);

    /// <summary>Entries after <paramref name="after"/> (a <c>seq</c>), oldest first, optionally of one room.</summary>
    AuditPage Read(string? room, long after, int limit);

    /// <summary>Recomputes the chain from the first entry and says where it breaks, if it does.</summary>
    AuditVerification Verify();
}

/// <summary>What a filter knows about one command, before it has a place in the chain.</summary>
/// <param name="Arguments">Canonical JSON, secrets masked and capped (<see cref="AuditArguments"/>).</param>
/// <param name="Result"><c>ok</c>, <c>refused: {code}</c>, <c>failed: {code}</c> or <c>aborted</c>.</param>
public sealed record AuditRecord(DateTimeOffset At, string? KeyName, string? Role, string? Room, string Command, string Arguments, string Result);

/// <summary>One stored entry. <see cref="At"/> is its canonical text (UTC, <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>).</summary>
public sealed record AuditEntry(
    long Seq, string At, string? KeyName, string? Role, string? Room, string Command, string Arguments, string Result, string PrevHash, string Hash);

/// <summary>Body of <c>GET /api/audit</c>: <see cref="Next"/> is the <c>after</c> for the next page, null at the end.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? Next);

/// <summary>Body of <c>GET /api/audit/verify</c>. <see cref="Head"/> is the last entry's hash: keep it elsewhere to detect a cut-off tail.</summary>
public sealed record AuditVerification(bool Intact, long Entries, long? BrokenAt, string? Reason, string Head);
