using System.Text;

namespace LiveHost.Perf.Measurement;

/// <summary>Header rows of the markdown tables in the benchmark reports.</summary>
public static class MarkdownTable
{
    /// <summary>
    /// Appends the column names and the alignment row. <paramref name="alignments"/> has one letter a column:
    /// 'l' for text (left), 'r' for numbers (right), e.g. "lrrr" for a name and three figures.
    /// </summary>
    public static void AppendHeader(StringBuilder s, string alignments, params string[] columns)
    {
        s.AppendLine(HeaderRow(columns));
        s.AppendLine(AlignmentRow(alignments, columns.Length));
    }

    /// <summary>"| a | b |" (an empty name gives "| |").</summary>
    public static string HeaderRow(IReadOnlyList<string> columns)
    {
        var s = new StringBuilder("|");
        foreach (var column in columns) s.Append(column.Length == 0 ? " |" : $" {column} |");
        return s.ToString();
    }

    private static string AlignmentRow(string alignments, int columnCount)
    {
        if (alignments.Length != columnCount)
        {
            throw new ArgumentException($"{alignments.Length} alignments for {columnCount} columns", nameof(alignments));
        }
        var s = new StringBuilder("|");
        foreach (var alignment in alignments)
        {
            s.Append(alignment switch
            {
                'l' => "---|",
                'r' => "---:|",
                _ => throw new ArgumentException($"alignment '{alignment}' is neither 'l' nor 'r'", nameof(alignments)),
            });
        }
        return s.ToString();
    }
}
