using System.Globalization;

namespace LiveHost.Avatars.Realistic.Actions;

/// <summary>
/// An action the builder is asked to cut from the recording: <c>--action name:startSec-endSec</c>
/// (e.g. <c>wave:12.5-15</c>), seconds from the recording's start.
/// </summary>
public sealed record ActionRequest(string Name, double StartSeconds, double EndSeconds)
{
    public const string Form = "name:startSec-endSec (e.g. wave:12.5-15)";

    /// <summary>Parses <c>name:start-end</c>; a <see cref="FormatException"/> says what is wrong.</summary>
    public static ActionRequest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        var dash = colon < 0 ? -1 : text.IndexOf('-', colon + 1);
        if (colon <= 0 || dash < 0)
        {
            throw new FormatException($"--action '{text}' is not {Form}.");
        }
        var name = text[..colon];
        if (!double.TryParse(text[(colon + 1)..dash], NumberStyles.Float, CultureInfo.InvariantCulture, out var start)
            || !double.TryParse(text[(dash + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var end))
        {
            throw new FormatException($"--action '{text}': the times are not numbers of seconds ({Form}).");
        }
        return new ActionRequest(name, start, end);
    }

    /// <summary>Every problem with a list of requests (names, times, a name twice), in words; empty when none.</summary>
    public static IReadOnlyList<string> FindProblems(IReadOnlyList<ActionRequest> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var problems = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (actions.Count > Avatars.Packages.PackageAction.MaxActions)
        {
            problems.Add($"{actions.Count} actions; at most {Avatars.Packages.PackageAction.MaxActions} are allowed");
        }
        foreach (var action in actions)
        {
            if (!AvatarActionName.IsValid(action.Name)) problems.Add($"action name '{action.Name}' is not valid ({AvatarActionName.Rule})");
            else if (!names.Add(action.Name)) problems.Add($"action '{action.Name}' is given twice");
            if (!(action.StartSeconds >= 0) || !(action.EndSeconds > action.StartSeconds) || double.IsInfinity(action.EndSeconds))
            {
                problems.Add($"action '{action.Name}': {action.StartSeconds.ToString(CultureInfo.InvariantCulture)}-{action.EndSeconds.ToString(CultureInfo.InvariantCulture)} s is not a segment (start >= 0, end > start)");
            }
        }
        return problems;
    }
}
