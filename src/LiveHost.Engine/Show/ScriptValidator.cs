using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Show;

/// <summary>
/// Checks a script before it is stored: a name, 1 to <see cref="MaxLines"/> lines, and every line checked like a
/// <see cref="LineRequest"/> (text, language, voice, product), plus its <c>pauseAfterMs</c>. A refusal names the line
/// (1-based) and keeps the line check's code; nothing is stored.
/// </summary>
public sealed class ScriptValidator(LineRequestValidator lines)
{
    public const int MaxLines = 1000;
    public const int MaxNameLength = 200;
    public const int MaxPauseAfterMs = 60_000;

    /// <summary>The script with cleaned text and name, ready to store (id and time not set).</summary>
    public Script Validate(Script? script)
    {
        if (script is null)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, "a script is required: { name, lines: [ { text, language?, voice?, product?, pauseAfterMs? } ] }");
        }
        var name = CheckName(script.Name);
        var given = script.Lines ?? [];
        if (given.Count == 0)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, "the script has no lines: give at least one { text }");
        }
        if (given.Count > MaxLines)
        {
            throw new CommandRejectedException(
                RejectionCode.PayloadTooLarge,
                $"the script has {given.Count} lines; the limit is {MaxLines} lines per script: split it into several scripts");
        }
        var checkedLines = new List<ScriptLine>(given.Count);
        for (var i = 0; i < given.Count; i++) checkedLines.Add(CheckLine(given[i], i + 1));
        return script with { Name = name, Lines = checkedLines };
    }

    private static string CheckName(string? raw)
    {
        var name = raw?.Trim() ?? "";
        if (name.Length == 0)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, "the script has no name: give it a name");
        }
        if (LineText.Clean(name, out var clean, out _, out _) != LineText.Problem.None || LineText.IsBlank(clean))
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, "the script's name has control characters or nothing visible: give it a plain name");
        }
        if (LineText.VisibleLength(clean) > MaxNameLength)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, $"the script's name is longer than {MaxNameLength} characters");
        }
        return clean;
    }

    private ScriptLine CheckLine(ScriptLine? line, int number)
    {
        if (line is null)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, $"script line {number} is null: give {{ text }}");
        }
        if (line.PauseAfterMs is < 0 or > MaxPauseAfterMs)
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput,
                $"script line {number}: pauseAfterMs is {line.PauseAfterMs}; use 0 to {MaxPauseAfterMs} (milliseconds)");
        }
        if (line.Action is { } action && !LiveHost.Avatars.AvatarActionName.IsValid(action.Trim()))
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput,
                $"script line {number}: action '{action}' is not an action name ({LiveHost.Avatars.AvatarActionName.Rule})");
        }
        var language = string.IsNullOrWhiteSpace(line.Language) ? null : line.Language.Trim().ToLowerInvariant();
        try
        {
            // Without a language the line takes the room's when it plays; its voice must then exist in some language.
            var valid = ValidateIn(line, language ?? "en", language is null);
            return line with
            {
                Text = valid.Text,
                Language = language,
                Voice = string.IsNullOrWhiteSpace(line.Voice) ? null : valid.Voice.Id,
                Product = line.Product?.Trim(),
                Action = line.Action?.Trim(),
                PauseAfterMs = line.PauseAfterMs is 0 ? null : line.PauseAfterMs,
            };
        }
        catch (CommandRejectedException rejection)
        {
            throw new CommandRejectedException(rejection.Code, $"script line {number}: {rejection.Message}");
        }
    }

    private ValidatedLine ValidateIn(ScriptLine line, string language, bool anyLanguage)
    {
        var request = new LineRequest(null, line.Text, language, line.Voice) { Product = line.Product };
        try
        {
            return lines.Validate(request, language);
        }
        catch (CommandRejectedException rejection) when (anyLanguage && rejection.Code == RejectionCode.UnknownVoice)
        {
            foreach (var other in LineRequestValidator.Languages.Where(l => l != language))
            {
                try
                {
                    return lines.Validate(request with { Language = other }, other);
                }
                catch (CommandRejectedException)
                {
                    // Not a voice of that language either: the first refusal says what is wrong.
                }
            }
            throw;
        }
    }
}
