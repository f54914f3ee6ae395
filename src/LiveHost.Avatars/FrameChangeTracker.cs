using LiveHost.Avatars.Products;
using LiveHost.Media;
using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>What the caption overlay drew on a frame: the same values draw the same pixels.</summary>
internal readonly record struct CaptionDrawn(string? Text, int Page, int Lines, SKRect Box);

/// <summary>
/// The rows a composed frame changed since the frame composed before it (<see cref="FrameCompositor.LastChangedRows"/>):
/// those the avatar says it changed, the caption's old and new box when it drew something else, and the card's region
/// while a card is shown or was. The overlays draw over the avatar, so a row the avatar left alone and no overlay
/// changed is the same as before. Unknown (null) when the avatar cannot say, and for the frame after an unknown one.
/// </summary>
internal sealed class FrameChangeTracker(int height)
{
    private CaptionDrawn _caption;
    private ProductCardFrame? _card;
    private SKRect _cardRegion = SKRect.Empty;
    private bool _known;

    /// <param name="avatarRows">The avatar's changed rows; null: unknown, and so is the frame.</param>
    public ChangedRows? Frame(ChangedRows? avatarRows, CaptionDrawn caption, ProductCardFrame? card, SKRect cardRegion)
    {
        ChangedRows? rows = null;
        if (avatarRows is not null && avatarRows.Height == height && _known)
        {
            rows = new ChangedRows(height);
            rows.UnionWith(avatarRows);
            if (!Same(caption, _caption))
            {
                AddBox(rows, _caption.Box);
                AddBox(rows, caption.Box);
            }
            if (_card is not null) AddBox(rows, _cardRegion);
            if (card is not null) AddBox(rows, cardRegion);
        }
        _known = avatarRows is not null;
        _caption = caption;
        _card = card;
        _cardRegion = cardRegion;
        return rows;
    }

    private static bool Same(in CaptionDrawn a, in CaptionDrawn b) =>
        a.Page == b.Page && a.Lines == b.Lines && a.Box == b.Box && string.Equals(a.Text, b.Text, StringComparison.Ordinal);

    // Antialiased edges and rounded corners reach past the box by a pixel: a couple of rows spare.
    private static void AddBox(ChangedRows rows, SKRect box)
    {
        if (box.IsEmpty) return;
        rows.Add(box.Top - 2, box.Bottom + 2);
    }
}
