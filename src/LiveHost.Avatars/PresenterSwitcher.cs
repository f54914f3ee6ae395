using LiveHost.Media;
using SkiaSharp;
using LiveHost.Speech;

namespace LiveHost.Avatars;

/// <summary>
/// A room's presenter that can be replaced while the room is on air. <see cref="Show"/> (any thread) hands over the
/// next presenter, already built and drawn once off the tick; the next frame starts a cross-fade of
/// <see cref="CrossFadeSeconds"/> of media time during which both presenters animate and the new one is blended over
/// the old with rising opacity; then the old one is disposed. The frame's size, timing and everything drawn over the
/// presenter (captions, cards, the AI label) are untouched, so the encoder and every viewer carry on as before.
/// Not thread-safe except <see cref="Show"/>, <see cref="PrepareBlend"/> and <see cref="TryPlay"/>.
/// </summary>
public sealed class PresenterSwitcher : IChangeTrackingAvatar, IAvatarActions
{
    public const double CrossFadeSeconds = 0.32;

    private IAvatar _current;
    private IAvatar? _next;
    private IAvatar? _outgoing;
    private double _fadeStartedAt = double.NaN;
    private SKSurface? _blend;
    private readonly SKPaint _paint = new();
    private bool _disposed;
    // Whether the last frame, and the one before it, were the current presenter's own picture (no cross-fade).
    private bool _plain;
    private bool _plainBefore;

    public PresenterSwitcher(IAvatar first)
    {
        ArgumentNullException.ThrowIfNull(first);
        _current = first;
    }

    /// <summary>The presenter drawn on the last frame (the new one from the first frame of a cross-fade).</summary>
    public string Id => Volatile.Read(ref _current).Id;

    /// <summary>True while a cross-fade is being drawn (for tests and diagnostics).</summary>
    public bool Fading => _outgoing is not null;

    /// <summary>The opacity of the incoming presenter on the last frame (1 outside a cross-fade).</summary>
    public float LastBlend { get; private set; } = 1f;

    /// <summary>The actions of the presenter shown from the next frame on (one handed over by <see cref="Show"/>, else the current one).</summary>
    public IReadOnlyList<string> Actions => Upcoming is IAvatarActions actions ? actions.Actions : [];

    /// <summary>Asks the presenter shown from the next frame on (see <see cref="Actions"/>) to play an action.</summary>
    public bool TryPlay(string action) => Upcoming is IAvatarActions actions && actions.TryPlay(action);

    private IAvatar Upcoming => Volatile.Read(ref _next) ?? Volatile.Read(ref _current);

    /// <summary>The presenter shown from the next frame on: <see cref="Id"/> changes only once a frame has drawn it.</summary>
    public string UpcomingId => Upcoming.Id;

    public string? Playing => Volatile.Read(ref _current) is IAvatarActions actions ? actions.Playing : null;

    /// <summary>
    /// The current presenter's changed rows when this frame and the one before were its own picture; null across a
    /// switch and a cross-fade (the whole picture changes).
    /// </summary>
    public ChangedRows? LastChangedRows =>
        _plain && _plainBefore && Volatile.Read(ref _current) is IChangeTrackingAvatar tracking ? tracking.LastChangedRows : null;

    /// <summary>
    /// Makes the off-screen surface the cross-fade draws into (a frame's worth of memory), so the first frame of a switch
    /// allocates nothing; called off the tick when a switch is prepared.
    /// </summary>
    public void PrepareBlend(int width, int height)
    {
        if (Volatile.Read(ref _blend) is not null) return;
        var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("Skia could not create the cross-fade surface.");
        if (Interlocked.CompareExchange(ref _blend, surface, null) is not null) surface.Dispose();
    }

    /// <summary>Replaces the presenter from the next frame on, with a cross-fade; the switcher owns <paramref name="next"/> from now.</summary>
    public void Show(IAvatar next)
    {
        ArgumentNullException.ThrowIfNull(next);
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Two switches before a frame: the later one wins, the earlier one is never drawn.
        Interlocked.Exchange(ref _next, next)?.Dispose();
    }

    public void Render(in AvatarFrame frame, SKCanvas canvas, int width, int height)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(canvas);
        _plainBefore = _plain;
        _plain = false;
        if (Interlocked.Exchange(ref _next, null) is { } next)
        {
            // A switch during a cross-fade: the half-faded presenter goes at once, the current one fades out.
            _outgoing?.Dispose();
            _outgoing = _current;
            Volatile.Write(ref _current, next);
            _fadeStartedAt = frame.TimeSeconds;
        }
        if (_outgoing is null)
        {
            LastBlend = 1f;
            _current.Render(frame, canvas, width, height);
            _plain = true;
            return;
        }

        var blend = (float)Math.Clamp((frame.TimeSeconds - _fadeStartedAt + 1e-9) / CrossFadeSeconds, 0, 1);
        // The first frame of a fade already shows some of the new presenter; the last frame shows only it.
        blend = Math.Max(blend, 1f / 16);
        LastBlend = blend;
        if (blend >= 1f)
        {
            _outgoing.Dispose();
            _outgoing = null;
            _current.Render(frame, canvas, width, height);
            return;
        }
        var saved = canvas.Save();
        _outgoing.Render(frame, canvas, width, height);
        canvas.RestoreToCount(saved);
        PrepareBlend(width, height);
        var surface = _blend!;
        var offscreen = surface.Canvas;
        offscreen.Clear(SKColors.Transparent);
        _current.Render(frame, offscreen, width, height);
        offscreen.ResetMatrix();
        _paint.Color = SKColors.White.WithAlpha((byte)Math.Round(255 * blend));
        canvas.ResetMatrix();
        canvas.DrawSurface(surface, 0, 0, _paint);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _current.Dispose();
        _outgoing?.Dispose();
        Interlocked.Exchange(ref _next, null)?.Dispose();
        _blend?.Dispose();
        _paint.Dispose();
    }
}
