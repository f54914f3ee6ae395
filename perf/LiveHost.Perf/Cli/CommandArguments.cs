using System.Globalization;

namespace LiveHost.Perf.Cli;

/// <summary><c>--name value</c> pairs after the benchmark name. Unknown names are an error, so typos do not pass silently.</summary>
public sealed class CommandArguments
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private CommandArguments(Dictionary<string, string> values, string raw)
    {
        _values = values;
        Raw = raw;
    }

    /// <summary>The arguments as given, for the record.</summary>
    public string Raw { get; }

    /// <exception cref="FormatException">An argument is not a <c>--name value</c> pair.</exception>
    public static CommandArguments Parse(ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i].Length < 3) throw new FormatException($"expected --name, got '{args[i]}'");
            if (i + 1 >= args.Length) throw new FormatException($"{args[i]} needs a value");
            values[args[i][2..]] = args[i + 1];
        }
        return new CommandArguments(values, string.Join(' ', args.ToArray()));
    }

    public int Number(string name, int fallback, int min, int max)
    {
        if (!TryTake(name, out var text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"--{name} must be an integer within {min}..{max}, not '{text}'");
        }
        return value;
    }

    public string Text(string name, string fallback) => TryTake(name, out var text) ? text : fallback;

    /// <exception cref="ArgumentException">An option was given that the benchmark never asked for.</exception>
    public void ThrowIfUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToArray();
        if (unknown.Length > 0) throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
    }

    private bool TryTake(string name, out string text)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out text!);
    }
}
