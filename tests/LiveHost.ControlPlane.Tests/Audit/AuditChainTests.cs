using System.Security.Cryptography;
using System.Text;

namespace LiveHost.ControlPlane.Tests;

public sealed class AuditChainTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 16, 0, 0, TimeSpan.Zero);
    private readonly AuditDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static AuditRecord Record(int i, string? room = "main") =>
        new(T0.AddSeconds(i), "test producer", "producer", room, "Skip", $"{{\"room\":\"{room}\",\"i\":{i}}}", "ok");

    private SqliteAuditLog LogWith(int entries)
    {
        var log = _database.OpenLog();
        for (var i = 1; i <= entries; i++) Assert.NotNull(log.Append(Record(i)));
        return log;
    }

    [Fact]
    public void Each_entry_hash_is_the_sha256_of_the_previous_hash_and_its_canonical_form()
    {
        var log = LogWith(2);

        var entries = log.Read(null, 0, 10).Entries;

        Assert.Equal([1L, 2L], entries.Select(e => e.Seq));
        Assert.Equal(new string('0', 64), entries[0].PrevHash);
        Assert.Equal(entries[0].Hash, entries[1].PrevHash);
        // Recomputed here from the documented form, independently of AuditCanonicalForm.
        var canonical = "[2,\"2026-12-03T16:00:02.0000000Z\",\"test producer\",\"producer\",\"main\",\"Skip\",\"{\\\"room\\\":\\\"main\\\",\\\"i\\\":2}\",\"ok\"]";
        var input = Convert.FromHexString(entries[0].Hash).Concat(Encoding.UTF8.GetBytes(canonical)).ToArray();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(input)), entries[1].Hash);
    }

    [Fact]
    public void An_untouched_log_verifies_intact_and_gives_its_head()
    {
        var log = LogWith(3);

        var verdict = log.Verify();

        Assert.True(verdict.Intact, verdict.Reason);
        Assert.Equal(3, verdict.Entries);
        Assert.Null(verdict.BrokenAt);
        Assert.Equal(log.Read(null, 2, 1).Entries[0].Hash, verdict.Head);
    }

    [Fact]
    public void Verify_names_the_entry_whose_row_was_edited_in_the_database()
    {
        LogWith(5);

        _database.Tamper("UPDATE audit SET result = 'refused: forbidden' WHERE seq = 3");
        var verdict = _database.OpenLog().Verify();

        Assert.False(verdict.Intact);
        Assert.Equal(3L, verdict.BrokenAt);
        Assert.Equal(5, verdict.Entries);
        Assert.Contains("entry 3 was altered", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_names_the_missing_entry_when_a_row_is_deleted()
    {
        LogWith(5);

        _database.Tamper("DELETE FROM audit WHERE seq = 2");
        var verdict = _database.OpenLog().Verify();

        Assert.False(verdict.Intact);
        Assert.Equal(2L, verdict.BrokenAt);
        Assert.Contains("entry 2 is missing", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_rewritten_with_a_recomputed_hash_breaks_the_next_entrys_link_and_verify_names_it()
    {
        var original = LogWith(4).Read(null, 2, 1).Entries[0];
        var forged = original with { KeyName = "someone else", Result = "refused: forbidden" };
        forged = forged with { Hash = AuditCanonicalForm.HashOf(forged) };

        _database.Tamper($"UPDATE audit SET key_name = '{forged.KeyName}', result = '{forged.Result}', hash = '{forged.Hash}' WHERE seq = 3");
        var verdict = _database.OpenLog().Verify();

        Assert.False(verdict.Intact);
        Assert.Equal(4L, verdict.BrokenAt);
        Assert.Contains("entry 4 does not link to entry 3", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Appends_after_a_restart_continue_the_chain()
    {
        var before = LogWith(2).Read(null, 0, 10).Entries;

        _database.Tamper("UPDATE audit SET at = at WHERE seq = 1"); // closes and reopens the store: a restart
        var reopened = _database.OpenLog();
        var third = reopened.Append(Record(3));

        Assert.NotNull(third);
        Assert.Equal(3, third.Seq);
        Assert.Equal(before[1].Hash, third.PrevHash);
        Assert.True(reopened.Verify().Intact);
    }

    [Fact]
    public void Pages_follow_next_to_the_end_and_a_room_filter_keeps_only_that_room()
    {
        var log = _database.OpenLog();
        for (var i = 1; i <= 5; i++) log.Append(Record(i, i % 2 == 0 ? "studio-b" : "main"));
        log.Append(Record(6, room: null));

        var first = log.Read(null, 0, 4);
        var second = log.Read(null, first.Next!.Value, 4);
        var studio = log.Read("studio-b", 0, 10);

        Assert.Equal([1L, 2L, 3L, 4L], first.Entries.Select(e => e.Seq));
        Assert.Equal(4L, first.Next);
        Assert.Equal([5L, 6L], second.Entries.Select(e => e.Seq));
        Assert.Null(second.Next);
        Assert.Equal([2L, 4L], studio.Entries.Select(e => e.Seq));
    }

    [Fact]
    public void A_failed_write_is_held_refuses_the_next_command_and_is_written_in_order_once_storage_works()
    {
        var log = LogWith(1);

        _database.Failing = true;
        Assert.Null(log.Append(Record(2)));
        var refusal = Assert.Throws<LiveHost.Engine.Rooms.CommandRejectedException>(log.EnsureWritable);
        _database.Failing = false;
        log.EnsureWritable();
        var third = log.Append(Record(3));

        Assert.Equal(LiveHost.Engine.Rooms.RejectionCode.StorageFailed, refusal.Code);
        Assert.Contains("audit log cannot be written", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(3, third!.Seq);
        Assert.Equal(["{\"room\":\"main\",\"i\":1}", "{\"room\":\"main\",\"i\":2}", "{\"room\":\"main\",\"i\":3}"],
            log.Read(null, 0, 10).Entries.Select(e => e.Arguments));
        Assert.True(log.Verify().Intact);
    }
}
