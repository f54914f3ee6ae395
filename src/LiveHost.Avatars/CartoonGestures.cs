using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>Where the full-body presenter's elbows and hands are on one frame, in figure units.</summary>
public readonly record struct ArmPose(SKPoint LeftElbow, SKPoint LeftHand, SKPoint RightElbow, SKPoint RightHand);

/// <summary>
/// The full-body presenter's arm gestures: <c>wave</c> (the viewer-right arm raised, the hand waving), <c>point</c>
/// (the viewer-right arm out to the side, as at a product card) and <c>welcome</c> (both arms opened). A gesture asked
/// for with <see cref="TryPlay"/> (from any thread) starts on the next frame, eases out of the resting pose, holds, and
/// eases back; one asked for while another plays replaces it from its current pose. Driven by media time, so the same
/// frames give the same poses.
/// </summary>
public sealed class CartoonGestures
{
    public const string Wave = "wave";
    public const string Point = "point";
    public const string Welcome = "welcome";

    /// <summary>How long each gesture lasts, easing in and out included.</summary>
    public const double GestureSeconds = 2.4;
    private const double EaseSeconds = 0.4;

    public static readonly IReadOnlyList<string> Names = [Wave, Point, Welcome];

    // Resting: the arms hang at the figure's sides.
    public static readonly ArmPose Rest = new(new(-318, -80), new(-312, 150), new(318, -80), new(312, 150));

    private static readonly ArmPose WavePose = Rest with { RightElbow = new(430, -370), RightHand = new(470, -610) };
    private static readonly ArmPose PointPose = Rest with { RightElbow = new(450, -330), RightHand = new(620, -390) };
    private static readonly ArmPose WelcomePose = new(new(-410, -190), new(-560, -260), new(410, -190), new(560, -260));

    private string? _requested;
    private volatile string? _playing;
    private double _startedAt;
    private ArmPose _from = Rest;
    private ArmPose _last = Rest;

    /// <summary>The gesture being played, or null at rest.</summary>
    public string? Playing => _playing;

    /// <summary>Asks for a gesture by name; false (and nothing changes) for a name not in <see cref="Names"/>.</summary>
    public bool TryPlay(string action)
    {
        if (action is null || !Names.Contains(action, StringComparer.Ordinal)) return false;
        Volatile.Write(ref _requested, action);
        return true;
    }

    /// <summary>Advances to the frame's media time and returns the arms' pose.</summary>
    public ArmPose Update(double time)
    {
        if (Interlocked.Exchange(ref _requested, null) is { } next)
        {
            _from = _last;
            _playing = next;
            _startedAt = time;
        }
        if (_playing is null) return _last = Rest;
        var elapsed = time - _startedAt;
        if (elapsed >= GestureSeconds || elapsed < 0)
        {
            _playing = null;
            return _last = Rest;
        }
        var target = Target(_playing, elapsed);
        ArmPose pose;
        if (elapsed < EaseSeconds) pose = Lerp(_from, target, Ease(elapsed / EaseSeconds));
        else if (elapsed > GestureSeconds - EaseSeconds) pose = Lerp(Rest, target, Ease((GestureSeconds - elapsed) / EaseSeconds));
        else pose = target;
        return _last = pose;
    }

    private static ArmPose Target(string gesture, double elapsed)
    {
        switch (gesture)
        {
            case Wave:
                // The hand swings side to side twice a second about the raised wrist.
                var swing = (float)(45 * Math.Sin(elapsed * 2 * Math.Tau));
                return WavePose with { RightHand = new(WavePose.RightHand.X + swing, WavePose.RightHand.Y + Math.Abs(swing) * 0.2f) };
            case Point:
                return PointPose;
            default:
                return WelcomePose;
        }
    }

    private static float Ease(double t)
    {
        var x = Math.Clamp(t, 0, 1);
        return (float)(x * x * (3 - 2 * x));
    }

    private static ArmPose Lerp(in ArmPose a, in ArmPose b, float t) => new(
        Lerp(a.LeftElbow, b.LeftElbow, t), Lerp(a.LeftHand, b.LeftHand, t), Lerp(a.RightElbow, b.RightElbow, t), Lerp(a.RightHand, b.RightHand, t));

    private static SKPoint Lerp(SKPoint a, SKPoint b, float t) => new(a.X + (b.X - a.X) * t, a.Y + (b.Y - a.Y) * t);
}
