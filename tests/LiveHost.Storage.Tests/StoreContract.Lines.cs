using LiveHost.Engine.Lines;
using LiveHost.Engine.Persistence;

namespace LiveHost.Storage.Tests;

public abstract partial class StoreContract
{
    [StoreFact]
    public void A_line_comes_back_after_a_restart_with_every_field_it_was_inserted_with()
    {
        var line = new Line(Guid.NewGuid().ToString("N"), "main", "你好，欢迎 — welcome", "zh", LineStatus.Queued, null, T0, null, null,
            Voice: "zh-yue", Tag: "intro", Interruptible: false, Product: "mug", Source: LineSources.Script, ScriptId: "s1", Action: "wave");
        Store.Lines.Insert(line, 7);

        Store.Reopen();

        var loaded = Assert.Single(Store.Lines.LoadUnfinished("main"));
        Assert.Equal(line, loaded);
        Assert.Empty(Store.Lines.LoadUnfinished("other"));
    }

    [StoreFact]
    public void Unfinished_lines_load_the_speaking_one_first_then_the_queue_in_order_and_never_a_finished_one()
    {
        var (a, b, c, d) = (NewLine("main", "a", 1), NewLine("main", "b", 2), NewLine("main", "c", 3), NewLine("main", "d", 4));
        Store.Lines.Insert(a, 1);
        Store.Lines.Insert(b, 2);
        Store.Lines.Insert(c, 3);
        Store.Lines.Insert(d, 0);
        Store.Lines.MarkStarted(a.Id, T0.AddSeconds(5));
        Store.Lines.MarkFinished(a.Id, FinishReason.Completed, T0.AddSeconds(6));
        Store.Lines.MarkStarted(c.Id, T0.AddSeconds(7));

        Store.Reopen();

        Assert.Equal([c.Id, d.Id, b.Id], Store.Lines.LoadUnfinished("main").Select(l => l.Id));
    }

    [StoreFact]
    public void Status_reads_queued_speaking_or_done_and_nothing_for_another_room_or_an_unknown_id()
    {
        var line = NewLine("main", "status");
        Store.Lines.Insert(line, 1);
        Assert.Equal(LineStatus.Queued, Store.Lines.FindStatus("main", line.Id));
        Store.Lines.MarkStarted(line.Id, T0);
        Assert.Equal(LineStatus.Speaking, Store.Lines.FindStatus("main", line.Id));
        Store.Lines.MarkFinished(line.Id, FinishReason.Skipped, T0.AddSeconds(1));
        Assert.Equal(LineStatus.Done, Store.Lines.FindStatus("main", line.Id));
        Assert.Null(Store.Lines.FindStatus("other", line.Id));
        Assert.Null(Store.Lines.FindStatus("main", "nosuchline"));
    }

    [StoreFact]
    public void A_line_inserted_at_a_position_and_a_reorder_give_the_queue_exactly_the_order_listed()
    {
        var (a, b, c) = (NewLine("main", "a"), NewLine("main", "b"), NewLine("main", "c"));
        Store.Lines.Insert(a, 1);
        Store.Lines.Insert(b, 2);
        Store.Lines.InsertAt(c, new QueueOrder([a.Id, c.Id, b.Id], 10));
        Assert.Equal([a.Id, c.Id, b.Id], Store.Lines.LoadUnfinished("main").Select(l => l.Id));

        Store.Lines.Reorder(new QueueOrder([b.Id, a.Id, c.Id], -5));
        Store.Reopen();

        Assert.Equal([b.Id, a.Id, c.Id], Store.Lines.LoadUnfinished("main").Select(l => l.Id));
        Assert.Equal(-6, Store.Lines.NextFrontOrder("main"));
        Assert.Equal(-2, Store.Lines.NextBackOrder("main"));
    }

    [StoreFact]
    public void Order_keys_for_the_front_and_the_back_lie_outside_every_line_of_the_room()
    {
        Assert.Equal(-1, Store.Lines.NextFrontOrder("main"));
        Assert.Equal(1, Store.Lines.NextBackOrder("main"));
        Store.Lines.Insert(NewLine("main", "x"), 4);
        Store.Lines.Insert(NewLine("main", "y"), 9);
        Store.Lines.Insert(NewLine("other", "z"), 100);

        Assert.Equal(3, Store.Lines.NextFrontOrder("main"));
        Assert.Equal(10, Store.Lines.NextBackOrder("main"));
    }

    [StoreFact]
    public void A_scheduled_line_waits_in_the_scheduled_list_soonest_first_until_it_is_fired_into_the_queue()
    {
        var later = NewLine("main", "later", at: T0.AddHours(2));
        var sooner = NewLine("main", "sooner", at: T0.AddHours(1));
        Store.Lines.Insert(later, 1);
        Store.Lines.Insert(sooner, 2);
        Assert.Empty(Store.Lines.LoadUnfinished("main"));
        Assert.Equal(LineStatus.Queued, Store.Lines.FindStatus("main", later.Id));

        Store.Reopen();
        var scheduled = Store.Lines.LoadScheduled("main");
        Assert.Equal([sooner.Id, later.Id], scheduled.Select(l => l.Id));
        Assert.Equal(T0.AddHours(1), scheduled[0].At);

        Store.Lines.MarkFired(sooner.Id, 3);
        Assert.Equal([later.Id], Store.Lines.LoadScheduled("main").Select(l => l.Id));
        Assert.Equal([sooner.Id], Store.Lines.LoadUnfinished("main").Select(l => l.Id));
    }

    [StoreFact]
    public void An_audio_line_s_clip_is_read_back_sample_for_sample_and_removed_when_the_line_finishes()
    {
        var line = NewLine("main", "[audio]", kind: LineKind.Audio);
        var samples = Enumerable.Range(0, 48_000).Select(i => (short)((i * 37) % 65536 - 32768)).ToArray();
        Store.Lines.SaveClip(line.Id, samples);
        Store.Lines.Insert(line, 1);

        Store.Reopen();
        Assert.Equal(LineKind.Audio, Assert.Single(Store.Lines.LoadUnfinished("main")).Kind);
        using (var clip = Store.Lines.OpenClip(line.Id))
        {
            var bytes = new byte[samples.Length * 2];
            clip.ReadExactly(bytes);
            Assert.Equal(samples, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(bytes).ToArray());
            Assert.Equal(0, clip.Read(new byte[1]));
        }

        Store.Lines.MarkFinished(line.Id, FinishReason.Completed, T0);
        Assert.Throws<FileNotFoundException>(() => Store.Lines.OpenClip(line.Id));
        Store.Lines.DeleteClip(line.Id);
    }

    [StoreFact]
    public void A_room_s_paused_state_survives_a_restart_and_a_room_never_saved_has_none()
    {
        Assert.Null(Store.RoomStates.LoadRoomState("main"));
        Store.RoomStates.SaveRoomState("main", new StoredRoomState(true));
        Store.RoomStates.SaveRoomState("other", new StoredRoomState(true));
        Store.RoomStates.SaveRoomState("other", new StoredRoomState(false));

        Store.Reopen();

        Assert.Equal(new StoredRoomState(true), Store.RoomStates.LoadRoomState("main"));
        Assert.Equal(new StoredRoomState(false), Store.RoomStates.LoadRoomState("other"));
        Store.Lines.CheckWritable();
    }
}
