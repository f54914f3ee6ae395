using System.Text;

namespace LiveHost.Engine.Show;

/// <summary>Scripts as plain text: one spoken line per line of text; blank lines are left out.</summary>
public static class ScriptText
{
    /// <summary>The script's lines from text (every line in <paramref name="language"/>, or the room's when null).</summary>
    public static Script Parse(string text, string? name, string? language)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n')
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => new ScriptLine(l.Trim(), language))
            .ToList();
        return new Script(null, name, lines);
    }

    /// <summary>One line of text per script line (language, voice, product and pauses are only in the JSON export).</summary>
    public static string Format(Script script)
    {
        var text = new StringBuilder();
        foreach (var line in script.Lines ?? [])
        {
            // A line's own line breaks would become several lines on import: they are read as spaces.
            text.Append((line.Text ?? "").ReplaceLineEndings(" ")).Append('\n');
        }
        return text.ToString();
    }
}
