using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>Caption geometry the planner needs: one line's height, the box's padding, the margin to the frame's bottom edge.</summary>
public readonly record struct CaptionMetrics(float LineHeight, float PadX, float PadY, float Margin, float MaxTextWidth, int MaxLines)
{
    /// <summary>Height of a caption box of <paramref name="lines"/> lines.</summary>
    public float BoxHeight(int lines) => lines * LineHeight + 2 * PadY;
}

/// <summary>
/// Where the overlays go: the AI label's pill, the area whose bottom centre the caption box sits on (with how many
/// lines fit it), and the product card's region.
/// </summary>
public readonly record struct OverlayPlan(SKRect LabelBox, SKRect CaptionArea, int CaptionLines, SKRect CardRegion);

/// <summary>
/// Lays the overlays out around a presenter's <see cref="PresenterFraming"/> so that none covers the face:
/// <list type="bullet">
/// <item>the AI label takes the first corner clear of the face: top right, top left, bottom right, bottom left;</item>
/// <item>the caption stays at the bottom, full width, when three lines fit below the face; otherwise it takes the
/// free area that holds the most text: the band below the face (fewer lines: a head crop leaves room below) or the
/// column left or right of the face (narrower lines);</item>
/// <item>the product card goes beside the figure, on the side with more room (a full-body figure on the left pushes it
/// to the right), below the label and above the caption when they share its column; when neither side of the figure
/// has room, beside the face; failing that, above or below it.</item>
/// </list>
/// Every candidate area is one of the four maximal face-free rectangles (left of, right of, above, below the face,
/// with a gap), so what is placed inside one cannot cover the face. Pure arithmetic: the compositor runs it once
/// per framing, not per frame.
/// </summary>
public static class OverlayPlanner
{
    /// <summary>Smallest product card region worth using, as fractions of the frame's width and height.</summary>
    public const float MinCardWidth = 0.16f;
    public const float MinCardHeight = 0.25f;

    public static OverlayPlan Plan(int width, int height, in PresenterFraming framing, SKSize label, in CaptionMetrics caption, SKRect defaultCard)
    {
        var canvas = new SKRect(0, 0, width, height);
        var shorter = Math.Min(width, height);
        var gap = shorter * 0.02f;
        var margin = shorter * 0.03f;
        var face = Inflate(framing.Face, gap);

        var labelBox = PlaceLabel(canvas, face, label, margin);
        var (captionArea, lines) = PlaceCaption(canvas, face, labelBox, caption, gap);
        var captionBox = CaptionBounds(captionArea, lines, caption);
        var card = PlaceCard(canvas, face, Inflate(framing.Figure, gap), labelBox, captionBox, defaultCard, margin, gap);
        return new OverlayPlan(labelBox, captionArea, lines, card);
    }

    /// <summary>The largest caption box an area can get (centred, on its bottom edge).</summary>
    public static SKRect CaptionBounds(SKRect area, int lines, in CaptionMetrics caption)
    {
        var boxWidth = Math.Min(area.Width, caption.MaxTextWidth + 2 * caption.PadX);
        return new SKRect(area.MidX - boxWidth / 2, area.Bottom - caption.BoxHeight(lines), area.MidX + boxWidth / 2, area.Bottom);
    }

    private static SKRect PlaceLabel(SKRect canvas, SKRect face, SKSize size, float margin)
    {
        ReadOnlySpan<(bool Right, bool Top)> corners = [(true, true), (false, true), (true, false), (false, false)];
        foreach (var (right, top) in corners)
        {
            var x = right ? canvas.Right - margin - size.Width : canvas.Left + margin;
            var y = top ? canvas.Top + margin : canvas.Bottom - margin - size.Height;
            var box = SKRect.Create(x, y, size.Width, size.Height);
            if (!box.IntersectsWith(face)) return box;
        }
        // The face covers every corner: the label still goes on (top right); nothing may hide it.
        return SKRect.Create(canvas.Right - margin - size.Width, canvas.Top + margin, size.Width, size.Height);
    }

    private static (SKRect Area, int Lines) PlaceCaption(SKRect canvas, SKRect face, SKRect label, in CaptionMetrics caption, float gap)
    {
        var bottom = canvas.Bottom - caption.Margin;
        SKRect[] candidates =
        [
            new(canvas.Left, face.Bottom, canvas.Right, bottom),
            new(canvas.Left, canvas.Top, face.Left, bottom),
            new(face.Right, canvas.Top, canvas.Right, bottom),
        ];
        var best = (Area: candidates[0], Lines: 0, Capacity: 0f);
        for (var i = 0; i < candidates.Length; i++)
        {
            var area = AvoidLabel(candidates[i], label, gap);
            var lines = LinesIn(area, caption);
            var capacity = lines * Math.Min(area.Width - 2 * caption.PadX, caption.MaxTextWidth);
            // Full width at the bottom, as without a presenter, whenever every line fits there.
            if (i == 0 && lines == caption.MaxLines && area.Width >= canvas.Width * 0.5f) return (area, lines);
            if (lines > 0 && capacity > best.Capacity) best = (area, lines, capacity);
        }
        return best.Lines > 0 ? (best.Area, best.Lines) : (new SKRect(canvas.Left, canvas.Top, canvas.Right, bottom), 1);
    }

    private static int LinesIn(SKRect area, in CaptionMetrics caption)
    {
        if (area.Width < 2 * caption.PadX + caption.LineHeight * 2) return 0;
        return Math.Clamp((int)MathF.Floor((area.Height - 2 * caption.PadY) / caption.LineHeight), 0, caption.MaxLines);
    }

    private static SKRect PlaceCard(SKRect canvas, SKRect face, SKRect figure, SKRect label, SKRect captionBox, SKRect defaultCard,
        float margin, float gap)
    {
        var cardWidth = defaultCard.Width;
        var minWidth = canvas.Width * MinCardWidth;
        var minHeight = canvas.Height * MinCardHeight;
        // Beside the figure (the roomier side first), then beside the face, then above or below the face.
        var leftOfFigure = figure.Left - canvas.Left;
        var rightOfFigure = canvas.Right - figure.Right;
        var columns = new List<(float Left, float Right, bool AtLeft)>(4);
        if (leftOfFigure >= rightOfFigure)
        {
            columns.Add((canvas.Left, figure.Left, true));
            columns.Add((figure.Right, canvas.Right, false));
        }
        else
        {
            columns.Add((figure.Right, canvas.Right, false));
            columns.Add((canvas.Left, figure.Left, true));
        }
        columns.Add((canvas.Left, face.Left, true));
        columns.Add((face.Right, canvas.Right, false));

        var fallback = SKRect.Empty;
        foreach (var (left, right, atLeft) in columns)
        {
            var width = Math.Min(cardWidth, right - left - 2 * margin);
            if (width <= 0) continue;
            var x = atLeft ? left + margin : right - margin - width;
            var region = FreeSpan(new SKRect(x, defaultCard.Top, x + width, canvas.Bottom - margin), label, captionBox, gap, defaultCard.Bottom);
            if (region.Width >= minWidth && region.Height >= minHeight) return region;
            if (Area(region) > Area(fallback)) fallback = region;
        }
        foreach (var band in new[] { new SKRect(canvas.Left + margin, canvas.Top + margin, canvas.Right - margin, face.Top),
                                     new SKRect(canvas.Left + margin, face.Bottom, canvas.Right - margin, canvas.Bottom - margin) })
        {
            var region = FreeSpan(band with { Right = band.Left + Math.Min(band.Width, canvas.Width * 0.62f) }, label, captionBox, gap, float.MaxValue);
            if (region.Height >= canvas.Height * 0.15f && region.Width >= minWidth) return region;
            if (Area(region) > Area(fallback)) fallback = region;
        }
        return fallback.IsEmpty ? defaultCard : fallback;
    }

    /// <summary>
    /// A column shortened so that it clears the label and the caption where they overlap it horizontally: its top moves
    /// below the label, its bottom above the caption; the bottom never passes <paramref name="usualBottom"/> unless the
    /// label pushed the top down (then it may use the height the label took).
    /// </summary>
    private static SKRect FreeSpan(SKRect column, SKRect label, SKRect captionBox, float gap, float usualBottom)
    {
        var top = column.Top;
        var bottom = Math.Min(column.Bottom, usualBottom);
        if (Overlaps(column, label))
        {
            if (label.MidY < column.MidY)
            {
                var pushed = label.Bottom + gap - top;
                if (pushed > 0)
                {
                    top += pushed;
                    bottom = Math.Min(column.Bottom, bottom + pushed);
                }
            }
            else
            {
                bottom = Math.Min(bottom, label.Top - gap);
            }
        }
        if (Overlaps(column, captionBox)) bottom = Math.Min(bottom, captionBox.Top - gap);
        return bottom > top ? new SKRect(column.Left, top, column.Right, bottom) : SKRect.Empty;
    }

    private static bool Overlaps(SKRect column, SKRect other) =>
        !other.IsEmpty && other.Left < column.Right && other.Right > column.Left;

    /// <summary>
    /// An area clipped to clear the label, keeping the larger of two parts: the part above or below it (a tall column
    /// loses its top or bottom) or the part beside it (a wide band loses the label's corner).
    /// </summary>
    private static SKRect AvoidLabel(SKRect area, SKRect label, float gap)
    {
        if (!area.IntersectsWith(label)) return area;
        var vertical = label.MidY > area.MidY
            ? area with { Bottom = Math.Min(area.Bottom, label.Top - gap) }
            : area with { Top = Math.Max(area.Top, label.Bottom + gap) };
        var horizontal = label.MidX > area.MidX
            ? area with { Right = Math.Min(area.Right, label.Left - gap) }
            : area with { Left = Math.Max(area.Left, label.Right + gap) };
        return Area(vertical) >= Area(horizontal) ? vertical : horizontal;
    }

    private static float Area(SKRect rect) => Math.Max(0, rect.Width) * Math.Max(0, rect.Height);

    private static SKRect Inflate(SKRect rect, float by) => new(rect.Left - by, rect.Top - by, rect.Right + by, rect.Bottom + by);
}
