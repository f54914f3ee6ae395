using LiveHost.Avatars;

namespace LiveHost.Engine.Rooms;

/// <summary>
/// Avatar actions (issue 13): <c>PlayAction</c> starts one of the presenter's actions at its next good moment (the
/// full-body cartoon from the next frame; a recorded presenter when its idle loop reaches the action's entry frame),
/// and a line's <c>action</c> is checked here when the line is submitted (the engine plays it when the line starts).
/// An action the presenter does not have is refused and changes nothing.
/// </summary>
public sealed partial class RoomController
{
    public ValueTask<RoomState> PlayActionAsync(string? action, CancellationToken cancellationToken = default)
    {
        EnsureRunning();
        var name = CheckAction(action)!;
        if (presenter?.TryPlayAction(name) != true)
        {
            // The presenter changed between the check and the call (a switch shown meanwhile).
            throw Unknown(name);
        }
        var state = GetState();
        events.StateChanged(state);
        return ValueTask.FromResult(state);
    }

    /// <summary>The action a line or PlayAction names, checked against the presenter on screen; null when none is named.</summary>
    private string? CheckAction(string? action)
    {
        if (action is null) return null;
        var name = action.Trim();
        if (!AvatarActionName.IsValid(name))
        {
            throw new CommandRejectedException(RejectionCode.InvalidInput, $"action '{Shorten(action)}' is not an action name ({AvatarActionName.Rule})");
        }
        var known = presenter?.Actions ?? [];
        if (known.Count == 0)
        {
            throw new CommandRejectedException(RejectionCode.NoActions,
                $"the presenter of room '{Name}' ({presenter?.Presenter ?? "this room's"}) plays no actions: use cartoon-fullbody, or an avatar package built with --action");
        }
        return known.Contains(name, StringComparer.Ordinal) ? name : throw Unknown(name);
    }

    /// <summary>Refuses a script about to loop when a line names an action the presenter on screen does not have.</summary>
    internal void RefuseUnknownActions(IEnumerable<string?> actions)
    {
        foreach (var action in actions) CheckAction(action);
    }

    private CommandRejectedException Unknown(string name) => new(RejectionCode.UnknownAction,
        $"unknown action '{name}' for the presenter of room '{Name}' ({presenter?.Presenter}): use one of {string.Join(", ", presenter?.Actions ?? [])}");

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
