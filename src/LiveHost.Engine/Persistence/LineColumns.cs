using LiveHost.Engine.Lines;

namespace LiveHost.Engine.Persistence;

/// <summary>
/// How a line's enums are written in a store's <c>lines</c> table (<c>kind</c>, <c>status</c>, <c>reason</c>): one
/// spelling for every provider, so a database moved between them reads the same.
/// </summary>
public static class LineColumns
{
    /// <summary>The <c>status</c> of a new row: <c>queued</c>, or <c>scheduled</c> for a line that waits for its moment.</summary>
    public static string NewStatus(Line line) => line.At is null ? "queued" : "scheduled";

    public static string Kind(LineKind kind) => kind switch { LineKind.Audio => "audio", LineKind.Presenter => "presenter", _ => "text" };

    public static LineKind ParseKind(string kind) => kind switch { "audio" => LineKind.Audio, "presenter" => LineKind.Presenter, _ => LineKind.Text };

    public static string Reason(FinishReason reason) => reason.ToString().ToLowerInvariant();

    /// <summary>A row's <c>status</c> as a line's (scheduled lines say queued); null for no row.</summary>
    public static LineStatus? ParseStatus(object? status) => status switch
    {
        "done" => LineStatus.Done,
        "speaking" => LineStatus.Speaking,
        string => LineStatus.Queued,
        _ => null,
    };

    /// <summary>The columns <see cref="Read"/> takes, in its order.</summary>
    public const string Selected = "id, room, text, language, voice, tag, queued_at, kind, interruptible, at, product, source, script_id, action";

    /// <summary>
    /// A line waiting in a store (queued, as every unfinished or scheduled line is loaded) from a row of
    /// <see cref="Selected"/>; <paramref name="time"/> reads a time column the way the provider stores it.
    /// </summary>
    public static Line Read(System.Data.Common.DbDataReader reader, Func<System.Data.Common.DbDataReader, int, DateTimeOffset> time)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(time);
        string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        return new Line(
            Id: reader.GetString(0),
            Room: reader.GetString(1),
            Text: reader.GetString(2),
            Language: reader.GetString(3),
            Status: LineStatus.Queued,
            Reason: null,
            QueuedAt: time(reader, 6),
            StartedAt: null,
            FinishedAt: null,
            Voice: Text(4),
            Tag: Text(5),
            Kind: ParseKind(reader.GetString(7)),
            // SQLite keeps it as an integer, PostgreSQL as a boolean.
            Interruptible: Convert.ToBoolean(reader.GetValue(8), System.Globalization.CultureInfo.InvariantCulture),
            At: reader.IsDBNull(9) ? null : time(reader, 9),
            Product: Text(10),
            Source: reader.GetString(11),
            ScriptId: Text(12),
            Action: Text(13));
    }

    /// <summary>The position of <paramref name="id"/> in <paramref name="order"/>; throws when it is not there.</summary>
    public static int IndexOf(QueueOrder order, string id)
    {
        for (var i = 0; i < order.Ids.Count; i++)
        {
            if (order.Ids[i] == id) return i;
        }
        throw new ArgumentException($"line {id} is not in the order given", nameof(order));
    }
}
