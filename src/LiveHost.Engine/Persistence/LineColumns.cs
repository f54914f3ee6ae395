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
