namespace LiveHost.Avatars;

/// <summary>Where the presenter's head, eyes and chest are on one frame, as produced by <see cref="IdleMotion"/>.</summary>
/// <param name="HeadOffsetX">Sideways head sway, in figure units (the figure is 1000 units tall).</param>
/// <param name="HeadOffsetY">Head nod/bob, in figure units, positive down.</param>
/// <param name="HeadTiltDegrees">Head roll around the neck, positive clockwise.</param>
/// <param name="Breath">Breathing phase, -1 (exhaled) to 1 (inhaled).</param>
/// <param name="BlinkClosure">Eyelid closure, 0 (open) to 1 (shut).</param>
/// <param name="GazeX">Iris offset sideways, in figure units.</param>
/// <param name="GazeY">Iris offset vertically, in figure units.</param>
/// <param name="BrowLift">Eyebrow raise, in figure units (up is positive).</param>
public readonly record struct IdlePose(
    float HeadOffsetX,
    float HeadOffsetY,
    float HeadTiltDegrees,
    float Breath,
    float BlinkClosure,
    float GazeX,
    float GazeY,
    float BrowLift);
