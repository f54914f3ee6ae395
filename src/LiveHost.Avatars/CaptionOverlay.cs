using SkiaSharp;
using LiveHost.Speech;

namespace LiveHost.Avatars;

/// <summary>
/// Draws the current line's caption at the bottom of the frame: white text on a rounded, semi-transparent dark box,
/// at most <see cref="MaxLines"/> lines. Longer captions are paged: the page holding the part being spoken is shown
/// (from the caller's progress, or, without one, from an estimate of how far speech has got at a nominal speaking
/// rate), and every page but the last ends in "…". The layout is rebuilt only when the caption text changes.
/// Not thread-safe.
/// </summary>
public sealed class CaptionOverlay : IDisposable
{
    public const int MaxLines = 3;

    /// <summary>Nominal speaking rates for the progress estimate, in characters per second.</summary>
    public const float LatinCharactersPerSecond = 14f;
    public const float CjkCharactersPerSecond = 4.5f;

    private readonly TextShaper _shaper;
    private readonly SKTextBlob? _ellipsis;
    private readonly float _ellipsisWidth;
    private readonly SKPaint _boxPaint = new() { Color = new SKColor(10, 14, 24, 165), IsAntialias = true };
    private readonly SKPaint _textPaint = new() { Color = SKColors.White, IsAntialias = true };
    private readonly float _lineHeight;
    private readonly float _baselineOffset;
    private readonly float _padX;
    private readonly float _padY;
    private readonly float _margin;
    private readonly float _radius;
    private readonly float _defaultMaxTextWidth;
    private float _maxTextWidth;
    private SKRect _area;
    private int _maxLines = MaxLines;

    private CaptionLayout? _layout;
    private double _lastTime = double.NaN;
    private double _spokenSeconds;
    private float _charactersPerSecond = LatinCharactersPerSecond;

    public CaptionOverlay(int width, int height, string language)
    {
        var shorter = Math.Min(width, height);
        var size = Math.Max(10f, shorter * 0.048f);
        _shaper = new TextShaper(FontFallback.Create(language, bold: false), size, ownsFallback: true);

        var font = _shaper.FontAt(0);
        font.GetFontMetrics(out var metrics);
        _lineHeight = size * 1.32f;
        _baselineOffset = (_lineHeight - (metrics.Descent - metrics.Ascent)) / 2f - metrics.Ascent;
        _padX = size * 0.7f;
        _padY = size * 0.35f;
        _margin = shorter * 0.04f;
        _radius = size * 0.45f;
        _maxTextWidth = _defaultMaxTextWidth = Math.Max(size * 4, width * 0.88f - 2 * _padX);
        _area = new SKRect(0, 0, width, height - _margin);

        var ellipsis = ShapedText.Shape("…", _shaper);
        _ellipsis = _shaper.BuildBlob(ellipsis, 0, ellipsis.Count);
        _ellipsisWidth = ellipsis.Width(0, ellipsis.Count);
    }

    public float FontSize => _shaper.Size;

    /// <summary>The caption's geometry, for <see cref="OverlayPlanner"/>.</summary>
    public CaptionMetrics Metrics => new(_lineHeight, _padX, _padY, _margin, _defaultMaxTextWidth, MaxLines);

    /// <summary>Where the box sits: centred on the bottom edge of this area (by default the whole frame above the bottom margin).</summary>
    public SKRect Area => _area;

    /// <summary>
    /// Puts the caption in <paramref name="area"/> (its box centred on the area's bottom edge, no wider than it) with
    /// at most <paramref name="maxLines"/> lines a page; the layout is rebuilt for the new width on the next frame.
    /// </summary>
    public void PlaceIn(SKRect area, int maxLines)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLines);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLines, MaxLines);
        var maxTextWidth = Math.Max(_shaper.Size * 2, Math.Min(_defaultMaxTextWidth, area.Width - 2 * _padX - 2f));
        if (area == _area && maxLines == _maxLines && maxTextWidth == _maxTextWidth) return;
        _area = area;
        _maxLines = maxLines;
        _maxTextWidth = maxTextWidth;
        ReleaseLayout();
    }

    public TextShaper Shaper => _shaper;

    /// <summary>The box drawn on the last frame (empty when there was no caption).</summary>
    public SKRect LastBox { get; private set; }

    /// <summary>Lines drawn on the last frame.</summary>
    public int LastLineCount { get; private set; }

    /// <summary>Page shown on the last frame, and how many the caption has.</summary>
    public int LastPage { get; private set; }

    public int PageCount => _layout?.PageCount ?? 0;

    /// <param name="progress">Fraction of the caption already spoken (0..1), or NaN to estimate it.</param>
    public void Draw(SKCanvas canvas, in AvatarFrame frame, string? caption, float progress)
    {
        LastBox = SKRect.Empty;
        LastLineCount = 0;
        LastPage = 0;
        if (string.IsNullOrEmpty(caption))
        {
            ReleaseLayout();
            return;
        }

        var layout = LayoutFor(caption);
        TrackSpeech(frame);
        if (layout.LineCount == 0) return;

        if (float.IsNaN(progress))
        {
            progress = layout.CharacterCount == 0 ? 0f : (float)(_spokenSeconds * _charactersPerSecond / layout.CharacterCount);
        }
        var page = layout.PageAt(progress);
        var lines = layout.LinesOnPage(page);
        var hasMore = page + 1 < layout.PageCount;
        var textWidth = layout.PageWidth(page) + (hasMore ? _ellipsisWidth : 0f);

        var boxWidth = Math.Min(_area.Width - 2f, textWidth + 2 * _padX);
        var boxHeight = lines * _lineHeight + 2 * _padY;
        var bottom = _area.Bottom;
        var centerX = _area.MidX;
        var box = new SKRect(centerX - boxWidth / 2f, bottom - boxHeight, centerX + boxWidth / 2f, bottom);
        canvas.DrawRoundRect(box, _radius, _radius, _boxPaint);

        for (var k = 0; k < lines; k++)
        {
            var line = page * layout.MaxLines + k;
            var lineWidth = layout.LineWidth(line) + (hasMore && k == lines - 1 ? _ellipsisWidth : 0f);
            var x = centerX - lineWidth / 2f;
            var y = box.Top + _padY + k * _lineHeight + _baselineOffset;
            var blob = layout.LineBlob(line);
            if (blob is not null) canvas.DrawText(blob, x, y, _textPaint);
            if (hasMore && k == lines - 1 && _ellipsis is not null)
            {
                canvas.DrawText(_ellipsis, x + layout.LineWidth(line), y, _textPaint);
            }
        }

        LastBox = box;
        LastLineCount = lines;
        LastPage = page;
    }

    private CaptionLayout LayoutFor(string caption)
    {
        if (_layout is not null && (ReferenceEquals(_layout.Text, caption) || string.Equals(_layout.Text, caption, StringComparison.Ordinal)))
        {
            return _layout;
        }

        ReleaseLayout();
        _layout = CaptionLayout.Build(caption, _shaper, _maxTextWidth, _maxLines, _ellipsisWidth);
        _charactersPerSecond = CjkShare(caption) > 0.3f ? CjkCharactersPerSecond : LatinCharactersPerSecond;
        return _layout;
    }

    private void TrackSpeech(in AvatarFrame frame)
    {
        if (!double.IsNaN(_lastTime) && frame.Speaking)
        {
            var step = frame.TimeSeconds - _lastTime;
            if (step > 0 && step < 1) _spokenSeconds += step;
        }
        _lastTime = frame.TimeSeconds;
    }

    private void ReleaseLayout()
    {
        _layout?.Dispose();
        _layout = null;
        _spokenSeconds = 0;
        _lastTime = double.NaN;
    }

    private static float CjkShare(string text)
    {
        var cjk = 0;
        var total = 0;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) continue;
            total++;
            if (c >= 0x2E80) cjk++;
        }
        return total == 0 ? 0f : (float)cjk / total;
    }

    public void Dispose()
    {
        ReleaseLayout();
        _ellipsis?.Dispose();
        _shaper.Dispose();
        _boxPaint.Dispose();
        _textPaint.Dispose();
    }
}
