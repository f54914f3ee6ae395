using System.Globalization;

namespace LiveHost.Tools.AvatarBuilder;

/// <summary>"--name value" pairs; a name given again replaces the value, except where read with <see cref="Many"/>.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<(string Name, string Value)> _all = [];

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs; got '{args[i]}'.");
            }
            parsed._values[args[i][2..]] = args[i + 1];
            parsed._all.Add((args[i][2..], args[++i]));
        }
        return parsed;
    }

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    /// <summary>Every value given for a repeatable option, in order.</summary>
    public IReadOnlyList<string> Many(string name) => _all.Where(p => p.Name == name).Select(p => p.Value).ToArray();

    public int Int(string name, int fallback) =>
        Optional(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        Optional(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
