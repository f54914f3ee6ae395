namespace LiveHost.Avatars.Packages;

/// <summary>
/// One entry of a manifest's <c>actions</c>: a segment of the consented recording the presenter can play on demand
/// (<see cref="IAvatarActions"/>), then return to the idle loop. Example:
/// <code>
/// "actions": [ { "name": "wave", "source": { "start": 250, "end": 325 },
///                "entry": { "frame": 247, "idleFrame": 17, "difference": 1.9 },
///                "exit": { "frame": 331, "idleFrame": 40, "difference": 2.1 },
///                "frames": "actions/wave/%05d.jpg", "count": 85, "boxes": [[262, 64, 118, 132], ...], "sha256": "..." } ]
/// </code>
/// Frame numbers count recording frames at the package's fps from the recording's start (the idle loop's stored frame
/// i is recording frame i). <see cref="Source"/> is the range the builder was asked for; <see cref="Entry"/> and
/// <see cref="Exit"/> are the frames it chose near its ends, where the recording best matches an idle-loop frame
/// (<see cref="ActionCut.IdleFrame"/>): the idle loop cuts to the action after showing <c>entry.idleFrame</c>, and goes
/// on from <c>exit.idleFrame</c> after the action's last frame. The stored frames are recording frames
/// <c>entry.frame</c>..<c>exit.frame</c> (<see cref="Count"/> of them, JPEG at package size, one face box each), and
/// <see cref="Sha256"/> is the SHA-256 over their bytes in order: like the loop's frames they are cut from the
/// consented recording, covered by the package's consent, and checked at load.
/// </summary>
public sealed record PackageAction
{
    /// <summary>At most this many frames per action (60 s at 25 fps).</summary>
    public const int MaxFrames = 1500;

    public const int MaxActions = 32;

    public string Name { get; init; } = "";

    /// <summary>The requested segment, recording frames [start, end).</summary>
    public FrameRange Source { get; init; } = new();

    public ActionCut Entry { get; init; } = new();

    public ActionCut Exit { get; init; } = new();

    /// <summary>Relative pattern of the stored frames, e.g. <c>actions/wave/%05d.jpg</c>, counting from 0.</summary>
    public string Frames { get; init; } = "";

    public int Count { get; init; }

    /// <summary>The face box of each stored frame, in package pixels.</summary>
    public IReadOnlyList<FaceBox> Boxes { get; init; } = [];

    /// <summary>
    /// Stored frames (0-based) where no face was found (turned away, covered): lip sync leaves the recorded mouth there.
    /// </summary>
    public IReadOnlyList<int> NoFace { get; init; } = [];

    /// <summary>Lower-case hex SHA-256 over the stored frame files' bytes in order.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>What is wrong with these fields (not the files) in a package of that size and idle loop, or null.</summary>
    public string? FindProblem(int index, int width, int height, int idleFrames)
    {
        var at = $"actions[{index}]";
        if (!AvatarActionName.IsValid(Name)) return $"{at}.name '{Name}' is not a valid action name ({AvatarActionName.Rule})";
        at = $"actions[{index}] '{Name}'";
        if (Source is null || Entry is null || Exit is null) return $"{at} needs source, entry and exit";
        if (Source.Start < 0 || Source.End <= Source.Start) return $"{at}: source [{Source.Start}, {Source.End}) is not a range of recording frames";
        if (Entry.Frame < 0 || Exit.Frame < Entry.Frame) return $"{at}: exit.frame {Exit.Frame} comes before entry.frame {Entry.Frame}";
        if (Entry.IdleFrame < 0 || Entry.IdleFrame >= idleFrames || Exit.IdleFrame < 0 || Exit.IdleFrame >= idleFrames)
        {
            return $"{at}: entry.idleFrame {Entry.IdleFrame} and exit.idleFrame {Exit.IdleFrame} must be idle-loop frames (0..{idleFrames - 1})";
        }
        if (Count is <= 0 or > MaxFrames) return $"{at}: count {Count} is outside 1..{MaxFrames}";
        if (Count != Exit.Frame - Entry.Frame + 1) return $"{at}: count {Count} is not exit.frame - entry.frame + 1 = {Exit.Frame - Entry.Frame + 1}";
        if (!FramePathPattern.TryParse(Frames, out _)) return $"{at}: frames '{Frames}' is not a relative pattern like actions/{Name}/%05d.jpg";
        if (Boxes is null || Boxes.Count != Count) return $"{at}: boxes has {Boxes?.Count ?? 0} entries for {Count} frames";
        for (var i = 0; i < Boxes.Count; i++)
        {
            if (!Boxes[i].FitsIn(width, height)) return $"{at}: boxes[{i}] {Boxes[i]} is empty or outside the {width}x{height} frame";
        }
        if (NoFace is not null && NoFace.Any(i => i < 0 || i >= Count)) return $"{at}: noFace names a frame outside 0..{Count - 1}";
        if (Sha256 is not { Length: 64 } || !Sha256.All(Uri.IsHexDigit)) return $"{at}: sha256 is not 64 hex digits";
        return null;
    }

    /// <summary>What is wrong with a manifest's <c>actions</c> list as a whole (names twice, too many), or null.</summary>
    public static string? FindProblem(IReadOnlyList<PackageAction?>? actions, int width, int height, int idleFrames)
    {
        if (actions is null) return null;
        if (actions.Count > MaxActions) return $"the package has {actions.Count} actions; at most {MaxActions} are allowed";
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < actions.Count; i++)
        {
            if (actions[i] is not { } action) return $"actions[{i}] is null";
            if (action.FindProblem(i, width, height, idleFrames) is { } problem) return problem;
            if (!names.Add(action.Name)) return $"actions[{i}]: the name '{action.Name}' is used twice";
        }
        return null;
    }
}

/// <summary>Recording frames [<see cref="Start"/>, <see cref="End"/>).</summary>
public sealed record FrameRange
{
    public int Start { get; init; }

    public int End { get; init; }
}

/// <summary>
/// Where an action joins the idle loop: <see cref="Frame"/>, the recording frame shown next to (entry: after; exit:
/// before) idle-loop frame <see cref="IdleFrame"/>, and <see cref="Difference"/>, the mean absolute difference of their
/// pixels (0-255 per channel) the builder measured: what a viewer sees change at the cut.
/// </summary>
public sealed record ActionCut
{
    public int Frame { get; init; }

    public int IdleFrame { get; init; }

    public float Difference { get; init; }
}
