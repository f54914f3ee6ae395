using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// The "AI-generated" / "AI生成" disclosure, drawn on every frame in the top-right corner (or the first corner clear of
/// the presenter's face, <see cref="OverlayPlanner"/>): bold white text on a
/// dark pill with a light rim, so it reads on light and dark backgrounds alike. The font size is chosen from the
/// real outline of the capital letters "AI" so that the cap height is <see cref="CapHeightFraction"/> of the
/// frame's shorter side (the requirement is at least 5%), whatever the typeface's proportions. Everything is laid
/// out once in the constructor; drawing allocates nothing.
/// </summary>
public sealed class AiLabelBadge : IDisposable
{
    /// <summary>Cap height of the label text as a fraction of the shorter frame side.</summary>
    public const float CapHeightFraction = 0.056f;

    private const float ReferenceSize = 100f;

    private readonly TextShaper _shaper;
    private readonly SKTextBlob _blob;
    private readonly SKPaint _pillPaint = new() { Color = new SKColor(20, 24, 38, 222), IsAntialias = true };
    private readonly SKPaint _rimPaint = new() { Color = new SKColor(255, 255, 255, 230), IsAntialias = true, Style = SKPaintStyle.Stroke };
    private readonly SKPaint _textPaint = new() { Color = SKColors.White, IsAntialias = true };
    private readonly SKPaint _dotPaint = new() { Color = new SKColor(255, 196, 64), IsAntialias = true };
    private readonly float _radius;
    private readonly float _dotRadius;
    private readonly float _padX;
    private readonly float _dotSpace;
    private readonly SKRect _ink;
    private float _textX;
    private float _baseline;
    private SKPoint _dotCenter;

    public AiLabelBadge(int width, int height, string language)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Text = AiLabel.For(language);
        var shorter = Math.Min(width, height);

        // The label is drawn in Noto Sans CJK SC Bold for every language: one face, narrow Latin, full Hanzi.
        var size = SizeForCapHeight(CapHeightFraction * shorter);
        _shaper = new TextShaper(FontFallback.CreateCjkFirst(bold: true), size, ownsFallback: true);
        var shaped = ShapedText.Shape(Text, _shaper);
        _blob = _shaper.BuildBlob(shaped, 0, shaped.Count)
            ?? throw new InvalidOperationException("No installed font can draw the AI label.");
        var ink = _shaper.MeasureInk(shaped, 0, shaped.Count);
        var capInk = _shaper.MeasureInk(shaped, 0, Math.Min(2, shaped.Count));
        CapHeight = -capInk.Top;

        var margin = shorter * 0.03f;
        var padX = CapHeight * 0.75f;
        var padY = CapHeight * 0.55f;
        _dotRadius = CapHeight * 0.2f;
        var dotSpace = _dotRadius * 2 + CapHeight * 0.4f;
        var pillHeight = Math.Max(ink.Height, CapHeight) + 2 * padY;
        var pillWidth = padX + dotSpace + ink.Width + padX;
        _padX = padX;
        _dotSpace = dotSpace;
        _ink = ink;
        _radius = pillHeight / 2f;
        _rimPaint.StrokeWidth = Math.Max(1f, shorter * 0.003f);
        MoveTo(new SKPoint(width - margin - pillWidth, margin), new SKSize(pillWidth, pillHeight));
    }

    /// <summary>Moves the pill so its top-left corner is at <paramref name="topLeft"/> (the compositor keeps it off the presenter's face).</summary>
    public void MoveTo(SKPoint topLeft) => MoveTo(topLeft, Box.Size);

    private void MoveTo(SKPoint topLeft, SKSize size)
    {
        Box = SKRect.Create(topLeft, size);
        // Centre the ink (not the em box) in the pill, so Hanzi and descenders sit visually centred.
        _textX = Box.Left + _padX + _dotSpace - _ink.Left;
        _baseline = Box.MidY - (_ink.Top + _ink.Bottom) / 2f;
        _dotCenter = new SKPoint(Box.Left + _padX + _dotRadius, Box.MidY);
        GlyphBounds = new SKRect(_textX + _ink.Left, _baseline + _ink.Top, _textX + _ink.Right, _baseline + _ink.Bottom);
    }

    public string Text { get; }

    /// <summary>The pill, in frame pixels (top right unless <see cref="MoveTo(SKPoint)"/> moved it).</summary>
    public SKRect Box { get; private set; }

    /// <summary>Tight bounds of the label's glyph outlines, in frame pixels.</summary>
    public SKRect GlyphBounds { get; private set; }

    /// <summary>Height of the capital letters "AI" as drawn, in pixels.</summary>
    public float CapHeight { get; }

    public float FontSize => _shaper.Size;

    public void Draw(SKCanvas canvas)
    {
        canvas.DrawRoundRect(Box, _radius, _radius, _pillPaint);
        canvas.DrawRoundRect(Box, _radius, _radius, _rimPaint);
        canvas.DrawCircle(_dotCenter, _dotRadius, _dotPaint);
        canvas.DrawText(_blob, _textX, _baseline, _textPaint);
    }

    private static float SizeForCapHeight(float capHeight)
    {
        using var shaper = new TextShaper(FontFallback.CreateCjkFirst(bold: true), ReferenceSize, ownsFallback: true);
        var shaped = ShapedText.Shape("AI", shaper);
        var cap = -shaper.MeasureInk(shaped, 0, shaped.Count).Top;
        var ratio = cap > 0 ? cap / ReferenceSize : 0.72f;
        return Math.Max(6f, capHeight / ratio);
    }

    public void Dispose()
    {
        _blob.Dispose();
        _shaper.Dispose();
        _pillPaint.Dispose();
        _rimPaint.Dispose();
        _textPaint.Dispose();
        _dotPaint.Dispose();
    }
}
