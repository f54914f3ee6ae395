using LiveHost.ControlPlane;

namespace LiveHost.Storage.Tests;

public abstract partial class StoreContract
{
    private static AuditRecord Record(int i, string room) =>
        new(T0.AddSeconds(i), "test admin", "admin", room, "EnqueueLine", $$"""{"text":"line {{i}}"}""", "ok");

    [StoreFact]
    public void The_audit_chain_continues_across_a_restart_pages_by_room_and_verifies_intact()
    {
        var first = Store.Audit.Append(Record(1, "main"))!;
        Store.Audit.Append(Record(2, "other"));
        Assert.Equal((1L, AuditCanonicalForm.Genesis), (first.Seq, first.PrevHash));

        Store.Reopen();
        var third = Store.Audit.Append(Record(3, "main"))!;
        Store.Audit.Append(Record(4, "main"));

        Assert.Equal(3, third.Seq);
        var page = Store.Audit.Read("main", after: 0, limit: 2);
        Assert.Equal([1L, 3L], page.Entries.Select(e => e.Seq));
        Assert.Equal(3, page.Next);
        Assert.Equal([4L], Store.Audit.Read("main", after: 3, limit: 2).Entries.Select(e => e.Seq));
        Assert.Null(Store.Audit.Read("main", after: 3, limit: 2).Next);
        var verified = Store.Audit.Verify();
        Assert.True(verified.Intact, verified.Reason);
        Assert.Equal(4, verified.Entries);
        Assert.Equal(Store.Audit.Read(null, 3, 10).Entries[0].Hash, verified.Head);
    }

    [StoreFact]
    public void An_audit_entry_altered_behind_the_server_s_back_breaks_verification_at_that_entry()
    {
        for (var i = 1; i <= 3; i++) Store.Audit.Append(Record(i, "main"));

        Assert.Equal(1, Store.Execute("UPDATE audit SET result = 'refused: forbidden' WHERE seq = 2"));

        var verified = Store.Audit.Verify();
        Assert.False(verified.Intact);
        Assert.Equal(2, verified.BrokenAt);
        Assert.Contains("entry 2 was altered", verified.Reason, StringComparison.Ordinal);
    }
}
