using LiveHost.Speech;

namespace LiveHost.Avatars;

/// <summary>
/// Moves the drawn mouth towards the shape of the current viseme with attack/release smoothing: opening is quick
/// (so syllables land on the audio) and closing a little slower (so the mouth does not flutter between phonemes).
/// Frame-rate independent: it smooths over media time, not over frame counts.
/// </summary>
public sealed class MouthAnimator
{
    /// <summary>Time constant while a value grows (the mouth opening), in seconds.</summary>
    public const float AttackSeconds = 0.035f;

    /// <summary>Time constant while a value shrinks (the mouth closing), in seconds.</summary>
    public const float ReleaseSeconds = 0.065f;

    /// <summary>Extra jaw opening at full loudness, so louder syllables look louder.</summary>
    public const float LoudnessOpening = 0.18f;

    private const double MaxStepSeconds = 0.1;
    private const double DefaultStepSeconds = 0.04;

    private MouthShape _current = MouthShape.Closed;
    private double _lastTime = double.NaN;

    public MouthShape Current => _current;

    /// <summary>The shape the mouth is heading for on this frame (before smoothing).</summary>
    public static MouthShape TargetFor(in AvatarFrame frame)
    {
        if (!frame.Speaking) return MouthShape.Closed;
        var shape = VisemeMouthShapes.For(frame.Viseme);
        if (VisemeMouthShapes.IsClosedLips(frame.Viseme)) return shape;
        var loudness = float.IsFinite(frame.Loudness) ? Math.Clamp(frame.Loudness, 0f, 1f) : 0f;
        return shape with { Open = Math.Min(1f, shape.Open + LoudnessOpening * loudness) };
    }

    public MouthShape Update(in AvatarFrame frame)
    {
        var step = double.IsNaN(_lastTime) || frame.TimeSeconds <= _lastTime
            ? DefaultStepSeconds
            : Math.Min(frame.TimeSeconds - _lastTime, MaxStepSeconds);
        _lastTime = frame.TimeSeconds;

        var target = TargetFor(frame);
        var dt = (float)step;
        _current = new MouthShape(
            Approach(_current.Open, target.Open, dt),
            Approach(_current.Width, target.Width, dt),
            Approach(_current.Roundness, target.Roundness, dt),
            Approach(_current.Teeth, target.Teeth, dt),
            Approach(_current.Tongue, target.Tongue, dt));
        return _current;
    }

    public void Reset()
    {
        _current = MouthShape.Closed;
        _lastTime = double.NaN;
    }

    private static float Approach(float current, float target, float dt)
    {
        var tau = target > current ? AttackSeconds : ReleaseSeconds;
        var next = current + (target - current) * (1f - MathF.Exp(-dt / tau));
        // Snap the last hair so "closed" really is closed and the lips meet exactly.
        return MathF.Abs(target - next) < 0.002f ? target : next;
    }
}
