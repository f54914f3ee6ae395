namespace LiveHost.Rtmp;

/// <summary>
/// One decoded AMF0 value. Only the RTMP command-reply path creates these (a handful per connection), so a
/// simple object graph is preferred over a zero-allocation reader.
/// </summary>
public sealed class Amf0Value
{
    public static readonly Amf0Value Null = new(Amf0Type.Null);
    public static readonly Amf0Value Undefined = new(Amf0Type.Undefined);

    private Amf0Value(Amf0Type type) => Type = type;

    public Amf0Type Type { get; private init; }
    public double Number { get; private init; }
    public bool Boolean { get; private init; }
    public string? Text { get; private init; }

    /// <summary>Properties of an object or ECMA array, in wire order.</summary>
    public IReadOnlyList<KeyValuePair<string, Amf0Value>> Properties { get; private init; } = [];

    /// <summary>Items of a strict array.</summary>
    public IReadOnlyList<Amf0Value> Items { get; private init; } = [];

    public static Amf0Value FromNumber(double value) => new(Amf0Type.Number) { Number = value };
    public static Amf0Value FromBoolean(bool value) => new(Amf0Type.Boolean) { Boolean = value };
    public static Amf0Value FromString(string value) => new(Amf0Type.String) { Text = value };
    public static Amf0Value FromDate(double millisecondsSinceEpoch) => new(Amf0Type.Date) { Number = millisecondsSinceEpoch };

    public static Amf0Value FromProperties(Amf0Type type, IReadOnlyList<KeyValuePair<string, Amf0Value>> properties) =>
        new(type) { Properties = properties };

    public static Amf0Value FromItems(IReadOnlyList<Amf0Value> items) => new(Amf0Type.StrictArray) { Items = items };

    public bool TryGetProperty(string name, out Amf0Value value)
    {
        foreach (var property in Properties)
        {
            if (property.Key == name)
            {
                value = property.Value;
                return true;
            }
        }
        value = Null;
        return false;
    }

    /// <summary>The named property when it is a string, otherwise null.</summary>
    public string? GetString(string name) => TryGetProperty(name, out var value) ? value.Text : null;

    public override string ToString() => Type switch
    {
        Amf0Type.Number or Amf0Type.Date => Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Amf0Type.Boolean => Boolean ? "true" : "false",
        Amf0Type.String or Amf0Type.LongString => Text ?? "",
        Amf0Type.Object or Amf0Type.EcmaArray =>
            "{" + string.Join(", ", Properties.Select(p => $"{p.Key}: {p.Value}")) + "}",
        Amf0Type.StrictArray => "[" + string.Join(", ", Items) + "]",
        _ => Type.ToString().ToLowerInvariant(),
    };
}
