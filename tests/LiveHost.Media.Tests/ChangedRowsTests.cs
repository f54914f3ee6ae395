using LiveHost.Media;

namespace LiveHost.Media.Tests;

public sealed class ChangedRowsTests
{
    [Fact]
    public void Rows_are_marked_in_whole_pairs_clipped_to_the_frame_and_read_back_as_runs()
    {
        var rows = new ChangedRows(20);
        rows.Add(3.5, 5.2);   // rows 3..5 -> pairs 1 and 2 -> rows 2..6
        rows.Add(-4, 1);      // clipped: row 0 -> pair 0
        rows.Add(17, 40);     // clipped: rows 17..19 -> pairs 8 and 9
        Assert.Equal([(0, 6), (16, 20)], rows.Runs());
        Assert.Equal(5, rows.PairCount);
    }

    [Fact]
    public void A_union_marks_both_sets_rows_and_clear_empties_the_set()
    {
        var a = new ChangedRows(720);
        var b = new ChangedRows(720);
        a.Add(100, 200);
        b.Add(600, 610);
        a.UnionWith(b);
        Assert.Equal([(100, 200), (600, 610)], a.Runs());
        a.Clear();
        Assert.Empty(a.Runs());
        Assert.Throws<ArgumentException>(() => a.UnionWith(new ChangedRows(360)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChangedRows(719));
    }
}
