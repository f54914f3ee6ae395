using LiveHost.Avatars.Products;
using LiveHost.Media;
using SkiaSharp;
using LiveHost.Speech;

namespace LiveHost.Avatars;

/// <summary>
/// Produces one finished video frame: the avatar, then the caption of the line being spoken, then the product card
/// (<see cref="Card"/>, when set; see <see cref="ProductCardOverlay"/>), then the AI label,
/// which is drawn on every frame without exception. When the avatar says where its presenter is
/// (<see cref="IFramedAvatar"/>), the three are laid out around it, never over the face (<see cref="OverlayPlanner"/>). Draws directly into the caller's BGRA (premultiplied) buffer of
/// exactly width*height*4 bytes, rows packed. One per room; not thread-safe (the room's tick loop calls it).
/// </summary>
public sealed class FrameCompositor : IDisposable
{
    private readonly IAvatar _avatar;
    private readonly PinnedSurfaceCache _surfaces;
    private readonly CaptionOverlay _caption;
    private readonly AiLabelBadge _label;
    private readonly FrameStampOverlay? _frameStamp;
    private ProductCardOverlay? _card;
    private readonly SKPoint _defaultLabelAt;
    private readonly SKRect _defaultCaptionArea;
    private SKRect _cardRegion;
    private PresenterFraming? _framing;
    private readonly FrameChangeTracker _changes;
    private readonly bool _ownsAvatar;
    private bool _disposed;

    /// <param name="ownsAvatar">Dispose the avatar with the compositor (off by default: the caller created it).</param>
    public FrameCompositor(IAvatar avatar, int width, int height, string language, bool ownsAvatar = false)
        : this(avatar, width, height, language, ownsAvatar, frameStamp: false)
    {
    }

    /// <param name="ownsAvatar">Dispose the avatar with the compositor.</param>
    /// <param name="frameStamp">Also draw the frame index as a <see cref="FrameStampOverlay"/> (for latency measurement only).</param>
    public FrameCompositor(IAvatar avatar, int width, int height, string language, bool ownsAvatar, bool frameStamp)
    {
        ArgumentNullException.ThrowIfNull(avatar);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        _avatar = avatar;
        _ownsAvatar = ownsAvatar;
        Width = width;
        Height = height;
        Language = language ?? "en";
        Info = new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul);
        _surfaces = new PinnedSurfaceCache(Info);
        _caption = new CaptionOverlay(width, height, Language);
        _label = new AiLabelBadge(width, height, Language);
        _frameStamp = frameStamp ? new FrameStampOverlay(width, height) : null;
        _defaultLabelAt = _label.Box.Location;
        _defaultCaptionArea = _caption.Area;
        _cardRegion = ProductCardOverlay.DefaultRegion(width, height);
        _changes = new FrameChangeTracker(height);
    }

    public int Width { get; }

    public int Height { get; }

    public string Language { get; }

    public SKImageInfo Info { get; }

    /// <summary>Bytes a frame buffer must have: width * height * 4.</summary>
    public int FrameBytes => Info.BytesSize;

    /// <summary>The disclosure drawn on every frame: "AI生成" for Chinese rooms, "AI-generated" otherwise.</summary>
    public string Label => _label.Text;

    /// <summary>Where the label's pill is, and the tight bounds of its glyphs, in frame pixels.</summary>
    public SKRect LabelBox => _label.Box;

    public SKRect LabelGlyphBounds => _label.GlyphBounds;

    public float LabelCapHeight => _label.CapHeight;

    /// <summary>The caption box of the last composed frame (empty when it had none), and its line count.</summary>
    public SKRect LastCaptionBox => _caption.LastBox;

    public int LastCaptionLines => _caption.LastLineCount;

    public CaptionOverlay Caption => _caption;

    /// <summary>The product card drawn on the next frames (null: none); set by the room before each frame.</summary>
    public ProductCardFrame? Card { get; set; }

    /// <summary>The card layer (created with the first card), for its region and cache.</summary>
    public ProductCardOverlay CardOverlay => _card ??= NewCardOverlay();

    /// <summary>
    /// The rows in which the last composed frame may differ from the frame composed before it (a new set each frame,
    /// the caller's to keep); null when not known (the first frame, a presenter that does not track its changes, a new
    /// layout, the frame stamp, which changes every frame).
    /// </summary>
    public ChangedRows? LastChangedRows { get; private set; }

    /// <summary>Where the avatar said its presenter is on the last frame (null: it does not say; the overlays keep their usual places).</summary>
    public PresenterFraming? Framing => _framing;

    /// <summary>
    /// Renders a frame with the caption paged by an estimate of how far speech has got (see
    /// <see cref="CaptionOverlay"/>); use the overload with a progress when the exact position is known.
    /// </summary>
    public void Compose(in AvatarFrame frame, string? caption, byte[] bgra) => Compose(frame, caption, float.NaN, bgra);

    /// <param name="captionProgress">Fraction of the caption already spoken, 0..1 (NaN: estimate it).</param>
    public void Compose(in AvatarFrame frame, string? caption, float captionProgress, byte[] bgra)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(bgra);
        if (bgra.Length != FrameBytes)
        {
            throw new ArgumentException(
                $"Frame buffer has {bgra.Length} bytes; a {Width}x{Height} BGRA frame needs {FrameBytes}.", nameof(bgra));
        }

        var canvas = _surfaces.For(bgra).Canvas;
        var saved = canvas.Save();
        try
        {
            _avatar.Render(frame, canvas, Width, Height);
        }
        finally
        {
            // Whatever the avatar left on the canvas (transforms, clips), overlays start from a clean state.
            canvas.RestoreToCount(saved);
            canvas.ResetMatrix();
        }

        var framing = (_avatar as IFramedAvatar)?.FramingFor(Width, Height);
        var laidOut = framing != _framing;
        if (laidOut) LayOutAround(framing);
        _caption.Draw(canvas, frame, caption, captionProgress);
        var card = Card;
        if (card is { } shown) CardOverlay.Draw(canvas, shown);
        _label.Draw(canvas);
        _frameStamp?.Draw(canvas, frame.FrameIndex);

        // The label only moves with a new layout; the caption and the card change where they were and where they are.
        var avatarRows = laidOut || _frameStamp is not null ? null : (_avatar as IChangeTrackingAvatar)?.LastChangedRows;
        LastChangedRows = _changes.Frame(avatarRows, new CaptionDrawn(caption, _caption.LastPage, _caption.LastLineCount, _caption.LastBox), card, _cardRegion);
    }

    /// <summary>Moves the label, caption and card around the presenter (<see cref="OverlayPlanner"/>), or back to their usual places.</summary>
    private void LayOutAround(PresenterFraming? framing)
    {
        _framing = framing;
        if (framing is { } known)
        {
            var plan = OverlayPlanner.Plan(Width, Height, known, _label.Box.Size, _caption.Metrics, ProductCardOverlay.DefaultRegion(Width, Height));
            _label.MoveTo(plan.LabelBox.Location);
            _caption.PlaceIn(plan.CaptionArea, plan.CaptionLines);
            _cardRegion = plan.CardRegion;
        }
        else
        {
            _label.MoveTo(_defaultLabelAt);
            _caption.PlaceIn(_defaultCaptionArea, CaptionOverlay.MaxLines);
            _cardRegion = ProductCardOverlay.DefaultRegion(Width, Height);
        }
        _card?.PlaceIn(_cardRegion);
    }

    private ProductCardOverlay NewCardOverlay()
    {
        var card = new ProductCardOverlay(Width, Height, Language);
        card.PlaceIn(_cardRegion);
        return card;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _surfaces.Dispose();
        _caption.Dispose();
        _label.Dispose();
        _frameStamp?.Dispose();
        _card?.Dispose();
        if (_ownsAvatar) _avatar.Dispose();
    }
}
