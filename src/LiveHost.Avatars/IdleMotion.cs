using LiveHost.Speech;

namespace LiveHost.Avatars;

/// <summary>
/// The small movements that keep a drawn presenter from looking frozen: blinks every 2 to 6 seconds (sometimes a
/// double blink), a slow head sway, nod and roll, breathing, and a drifting gaze. The sway terms are sums of
/// sinusoids with unrelated periods so the motion never visibly loops; while speaking the head moves a little more.
/// All randomness comes from a seeded <see cref="Random"/>, so the same seed and the same frame times give the
/// same motion (tests rely on that). Positions are continuous floats: the renderer draws them sub-pixel.
/// </summary>
public sealed class IdleMotion
{
    /// <summary>Shortest and longest gap between blinks, in seconds.</summary>
    public const double MinBlinkGapSeconds = 2.0;
    public const double MaxBlinkGapSeconds = 6.0;

    /// <summary>Whole blink: closing, shut, opening.</summary>
    public const double BlinkSeconds = 0.17;
    private const double CloseSeconds = 0.06;
    private const double ShutSeconds = 0.035;

    private const double DoubleBlinkChance = 0.15;
    private const float SpeakingBlendSeconds = 0.35f;

    private readonly Random _random;
    private readonly double[] _phases = new double[10];
    private double _lastTime = double.NaN;
    private double _nextBlinkAt;
    private double _blinkStartedAt = double.NegativeInfinity;
    private bool _doubleBlinkPending;
    private float _speakingBlend;

    public IdleMotion(int seed)
    {
        _random = new Random(seed);
        for (var i = 0; i < _phases.Length; i++) _phases[i] = _random.NextDouble() * Math.Tau;
        _nextBlinkAt = 0.8 + _random.NextDouble() * 2.0;
    }

    /// <summary>Advances to the frame's media time and returns the pose for it.</summary>
    public IdlePose Update(in AvatarFrame frame)
    {
        var t = frame.TimeSeconds;
        if (!double.IsFinite(t)) t = double.IsNaN(_lastTime) ? 0 : _lastTime;
        var dt = double.IsNaN(_lastTime) ? 0.04 : t - _lastTime;
        if (dt < 0)
        {
            // Time went backwards (a new room clock): restart the blink schedule from here.
            _nextBlinkAt = t + NextGap();
            _blinkStartedAt = double.NegativeInfinity;
            dt = 0.04;
        }
        _lastTime = t;

        var speakingTarget = frame.Speaking ? 1f : 0f;
        var blendStep = 1f - MathF.Exp(-(float)Math.Min(dt, 0.1) / SpeakingBlendSeconds);
        _speakingBlend += (speakingTarget - _speakingBlend) * blendStep;

        var closure = AdvanceBlink(t);
        var loudness = float.IsFinite(frame.Loudness) ? Math.Clamp(frame.Loudness, 0f, 1f) : 0f;
        var talk = _speakingBlend;

        var swayX = 4.0 * Wave(t, 7.3, 0) + 2.0 * Wave(t, 3.1, 1) + talk * 3.0 * Wave(t, 1.7, 2);
        var breath = Wave(t, 4.2, 3);
        var nodY = 2.5 * Wave(t, 5.3, 4) + talk * (2.0 + 2.5 * loudness) * Wave(t, 0.85, 5) - 1.5 * breath;
        var tilt = 1.6 * Wave(t, 8.7, 6) + 0.6 * Wave(t, 4.1, 7) + talk * 1.2 * Wave(t, 2.3, 8);
        var gazeX = 2.5 * Wave(t, 6.1, 9) + 1.0 * Wave(t, 2.9, 0);
        var gazeY = 1.2 * Wave(t, 4.7, 1);
        var brow = talk * (1.5 + 4.0 * loudness) * (0.5 + 0.5 * Wave(t, 1.3, 2));

        return new IdlePose((float)swayX, (float)nodY, (float)tilt, (float)breath, closure, (float)gazeX, (float)gazeY, (float)brow);
    }

    private double Wave(double t, double periodSeconds, int phase) => Math.Sin(Math.Tau * t / periodSeconds + _phases[phase]);

    private float AdvanceBlink(double t)
    {
        if (t >= _nextBlinkAt && t - _blinkStartedAt >= BlinkSeconds)
        {
            _blinkStartedAt = _nextBlinkAt;
            if (_doubleBlinkPending || _random.NextDouble() >= DoubleBlinkChance)
            {
                _doubleBlinkPending = false;
                _nextBlinkAt = _blinkStartedAt + NextGap();
            }
            else
            {
                _doubleBlinkPending = true;
                _nextBlinkAt = _blinkStartedAt + BlinkSeconds + 0.12;
            }
            // A long stall (a paused clock catching up) must not leave a backlog of blinks to play.
            if (_nextBlinkAt < t) _nextBlinkAt = t + NextGap();
        }
        return Closure(t - _blinkStartedAt);
    }

    private double NextGap() => MinBlinkGapSeconds + _random.NextDouble() * (MaxBlinkGapSeconds - MinBlinkGapSeconds);

    /// <summary>Eyelid closure at a time into a blink: fast close, brief hold, slower open.</summary>
    public static float Closure(double sinceBlinkStart)
    {
        if (sinceBlinkStart < 0 || sinceBlinkStart >= BlinkSeconds) return 0f;
        if (sinceBlinkStart < CloseSeconds) return Smooth(sinceBlinkStart / CloseSeconds);
        if (sinceBlinkStart < CloseSeconds + ShutSeconds) return 1f;
        var opening = (sinceBlinkStart - CloseSeconds - ShutSeconds) / (BlinkSeconds - CloseSeconds - ShutSeconds);
        return Smooth(1 - opening);
    }

    private static float Smooth(double x) => (float)(x * x * (3 - 2 * x));
}
