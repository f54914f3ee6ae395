using System.Globalization;
using SkiaSharp;

namespace LiveHost.Avatars.Products;

/// <summary>
/// Draws a product card in the left column of a landscape frame (<see cref="Region"/>): from 3 % of the shorter side in
/// from the left edge, 8 % down from the top, at most 27 % of the width wide and down to 70 % of the height; in a
/// portrait frame, in the band from 64.5 % to 84 % of the height, 62 % of the width wide. That keeps it off the AI
/// label (top right), the presenter's face (the centre) and the caption (the bottom band). A presenter that says where
/// it is (<see cref="IFramedAvatar"/>) gets the card placed beside it instead (<see cref="PlaceIn"/>).
/// The card (image, name, price, bullets) is rendered once into a cached image when its content changes, never per
/// frame; only the countdown ("ends in 04:59", "剩余 04:59" in Chinese rooms) is drawn per frame, from a text blob
/// re-shaped once a second. Not thread-safe: the room's tick calls it.
/// </summary>
public sealed class ProductCardOverlay : IDisposable
{
    private readonly int _width;
    private readonly int _height;
    private readonly bool _chinese;
    private readonly TextShaper _nameShaper;
    private readonly TextShaper _priceShaper;
    private readonly TextShaper _bulletShaper;
    private readonly TextShaper _countdownShaper;
    private readonly SKPaint _boxPaint = new() { Color = new SKColor(250, 250, 252, 235), IsAntialias = true };
    private readonly SKPaint _namePaint = new() { Color = new SKColor(20, 24, 36), IsAntialias = true };
    private readonly SKPaint _pricePaint = new() { Color = new SKColor(214, 40, 57), IsAntialias = true };
    private readonly SKPaint _bulletPaint = new() { Color = new SKColor(60, 66, 80), IsAntialias = true };
    private readonly SKPaint _countdownBoxPaint = new() { Color = new SKColor(214, 40, 57), IsAntialias = true };
    private readonly SKPaint _countdownPaint = new() { Color = SKColors.White, IsAntialias = true };
    private float _pad;
    private readonly float _radius;
    private readonly float _countdownHeight;

    private string? _cachedKey;
    private bool _cachedWithCountdown;
    private SKImage? _card;
    private int? _countdownSeconds;
    private SKTextBlob? _countdownBlob;
    private float _countdownWidth;

    public ProductCardOverlay(int width, int height, string language)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        _width = width;
        _height = height;
        _chinese = language == "zh";
        var shorter = Math.Min(width, height);
        Region = DefaultRegion(width, height);
        _pad = Region.Width * 0.06f;
        _radius = shorter * 0.018f;
        _nameShaper = new TextShaper(FontFallback.Create(language, bold: true), Math.Max(9f, shorter * 0.042f), ownsFallback: true);
        _priceShaper = new TextShaper(FontFallback.Create(language, bold: true), Math.Max(10f, shorter * 0.06f), ownsFallback: true);
        _bulletShaper = new TextShaper(FontFallback.Create(language, bold: false), Math.Max(8f, shorter * 0.032f), ownsFallback: true);
        _countdownShaper = new TextShaper(FontFallback.Create(language, bold: true), Math.Max(8f, shorter * 0.036f), ownsFallback: true);
        _countdownHeight = _countdownShaper.Size * 1.6f;
    }

    /// <summary>The only pixels a card may change.</summary>
    public SKRect Region { get; private set; }

    /// <summary>
    /// Where a card goes with no presenter framing known. Landscape: the left column beside the presenter. Portrait: the
    /// presenter fills the width, so the band below the face and above the caption.
    /// </summary>
    public static SKRect DefaultRegion(int width, int height)
    {
        var margin = Math.Min(width, height) * 0.03f;
        return width >= height
            ? new SKRect(margin, height * 0.08f, margin + width * 0.27f, height * 0.70f)
            : new SKRect(margin, height * 0.645f, margin + width * 0.62f, height * 0.84f);
    }

    /// <summary>Moves the card into another region (the compositor keeps it off the presenter, <see cref="OverlayPlanner"/>); the card is re-rendered for it.</summary>
    public void PlaceIn(SKRect region)
    {
        if (region == Region) return;
        if (region.Width < 1 || region.Height < 1) throw new ArgumentException($"A card region must be at least 1x1 pixels; got {region}.", nameof(region));
        Region = region;
        _pad = Region.Width * 0.06f;
        _card?.Dispose();
        _card = null;
    }

    /// <summary>Where the last card was drawn (empty when none).</summary>
    public SKRect LastBox { get; private set; }

    /// <summary>How many times the card was rendered into its cache (it is not re-rendered per frame).</summary>
    public int Renders { get; private set; }

    public void Draw(SKCanvas canvas, in ProductCardFrame frame)
    {
        var withCountdown = frame.SecondsLeft.HasValue;
        if (_card is null || _cachedKey != frame.Content.Key || _cachedWithCountdown != withCountdown)
        {
            _card?.Dispose();
            _card = Render(frame.Content, withCountdown);
            _cachedKey = frame.Content.Key;
            _cachedWithCountdown = withCountdown;
            Renders++;
        }
        var x = MathF.Round(Region.Left);
        var y = MathF.Round(Region.Top);
        canvas.DrawImage(_card, x, y, SKSamplingOptions.Default);
        LastBox = new SKRect(x, y, x + _card.Width, y + _card.Height);
        if (frame.SecondsLeft is { } seconds) DrawCountdown(canvas, Math.Max(0, seconds));
    }

    private void DrawCountdown(SKCanvas canvas, int seconds)
    {
        if (_countdownSeconds != seconds || _countdownBlob is null)
        {
            _countdownBlob?.Dispose();
            var clock = string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:00}:{seconds % 60:00}");
            var text = _chinese ? $"剩余 {clock}" : $"ends in {clock}";
            var shaped = ShapedText.Shape(text, _countdownShaper);
            _countdownBlob = _countdownShaper.BuildBlob(shaped, 0, shaped.Count);
            _countdownWidth = shaped.Width(0, shaped.Count);
            _countdownSeconds = seconds;
        }
        var band = new SKRect(LastBox.Left + _pad, LastBox.Bottom - _pad - _countdownHeight, LastBox.Right - _pad, LastBox.Bottom - _pad);
        canvas.DrawRoundRect(band, _radius, _radius, _countdownBoxPaint);
        if (_countdownBlob is null) return;
        _countdownShaper.FontAt(0).GetFontMetrics(out var metrics);
        var baseline = band.MidY - (metrics.Ascent + metrics.Descent) / 2f;
        canvas.DrawText(_countdownBlob, band.MidX - Math.Min(_countdownWidth, band.Width) / 2f, baseline, _countdownPaint);
    }

    private SKImage Render(ProductCardContent content, bool withCountdown)
    {
        var cardWidth = (int)MathF.Floor(Region.Width);
        var inner = cardWidth - 2 * _pad;
        var maxHeight = (int)MathF.Floor(Region.Height);
        var countdownReserve = withCountdown ? _countdownHeight + _pad * 0.5f : 0;

        using var picture = content.ImagePng is { Length: > 0 } png ? SKImage.FromEncodedData(png) : null;
        // A wide, short region (portrait frames) puts the picture beside the text; a tall one above it.
        var beside = picture is not null && Region.Width > Region.Height * 1.2f;
        var textX = beside ? _pad + inner * 0.4f : _pad;
        var textWidth = beside ? inner * 0.6f : inner;

        var blocks = new List<(SKTextBlob? Blob, TextShaper Shaper, SKPaint Paint, float Indent)>();
        try
        {
            AddLines(blocks, content.Name, _nameShaper, _namePaint, textWidth, maxLines: 2, indent: 0);
            AddLines(blocks, content.Price, _priceShaper, _pricePaint, textWidth, maxLines: 1, indent: 0);
            foreach (var bullet in content.Bullets.Take(5))
            {
                AddLines(blocks, "• " + bullet, _bulletShaper, _bulletPaint, textWidth, maxLines: 1, indent: 0);
            }
            var textHeight = blocks.Sum(b => b.Shaper.Size * 1.3f);

            // The text keeps its room; the picture gets what is left (at most 45 % of the region above the text).
            var imageHeight = 0f;
            if (picture is not null)
            {
                var natural = (beside ? inner * 0.4f - _pad * 0.5f : inner) * picture.Height / picture.Width;
                var left = beside
                    ? maxHeight - 2 * _pad - countdownReserve
                    : maxHeight - 2 * _pad - countdownReserve - textHeight - _pad * 0.6f;
                imageHeight = Math.Max(0, Math.Min(natural, beside ? left : Math.Min(left, Region.Height * 0.45f)));
            }

            var height = beside
                ? 2 * _pad + Math.Max(textHeight, imageHeight) + countdownReserve
                : 2 * _pad + (imageHeight > 0 ? imageHeight + _pad * 0.6f : 0) + textHeight + countdownReserve;
            var cardHeight = (int)Math.Min(maxHeight, MathF.Ceiling(height));

            using var surface = SKSurface.Create(new SKImageInfo(cardWidth, cardHeight, SKColorType.Bgra8888, SKAlphaType.Premul));
            var canvas = surface.Canvas;
            canvas.Clear(SKColors.Transparent);
            canvas.DrawRoundRect(new SKRect(0, 0, cardWidth, cardHeight), _radius, _radius, _boxPaint);
            canvas.ClipRect(new SKRect(0, 0, cardWidth, cardHeight - (withCountdown ? _countdownHeight + _pad * 1.5f : 0)));
            var y = _pad;
            if (picture is not null && imageHeight > 0)
            {
                var drawWidth = imageHeight * picture.Width / picture.Height;
                var dest = beside
                    ? SKRect.Create(_pad + (inner * 0.4f - _pad * 0.5f - drawWidth) / 2f, y, drawWidth, imageHeight)
                    : SKRect.Create(_pad + (inner - drawWidth) / 2f, y, drawWidth, imageHeight);
                canvas.DrawImage(picture, dest, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
                if (!beside) y += imageHeight + _pad * 0.6f;
            }
            foreach (var (blob, shaper, paint, indent) in blocks)
            {
                var lineHeight = shaper.Size * 1.3f;
                shaper.FontAt(0).GetFontMetrics(out var metrics);
                var baseline = y + (lineHeight - (metrics.Descent - metrics.Ascent)) / 2f - metrics.Ascent;
                if (blob is not null) canvas.DrawText(blob, textX + indent, baseline, paint);
                y += lineHeight;
            }
            return surface.Snapshot();
        }
        finally
        {
            foreach (var block in blocks) block.Blob?.Dispose();
        }
    }

    private static void AddLines(List<(SKTextBlob?, TextShaper, SKPaint, float)> blocks, string text, TextShaper shaper, SKPaint paint,
        float maxWidth, int maxLines, float indent)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        var shaped = ShapedText.Shape(text, shaper);
        var lines = CaptionLayout.Wrap(shaped, maxWidth - indent);
        for (var i = 0; i < Math.Min(maxLines, lines.Count); i++)
        {
            blocks.Add((shaper.BuildBlob(shaped, lines[i].Start, lines[i].End), shaper, paint, indent));
        }
    }

    public void Dispose()
    {
        _card?.Dispose();
        _countdownBlob?.Dispose();
        _nameShaper.Dispose();
        _priceShaper.Dispose();
        _bulletShaper.Dispose();
        _countdownShaper.Dispose();
        _boxPaint.Dispose();
        _namePaint.Dispose();
        _pricePaint.Dispose();
        _bulletPaint.Dispose();
        _countdownBoxPaint.Dispose();
        _countdownPaint.Dispose();
    }
}
