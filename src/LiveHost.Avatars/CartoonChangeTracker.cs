using LiveHost.Media;
using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// Which rows of the built-in presenter's frame changed since the frame before (<see cref="IChangeTrackingAvatar"/>):
/// waist-up, only the head moves (it sways, tilts, blinks and speaks), and breathing moves the body by whole pixels now
/// and then; the studio and the desk never change. So the rows that changed are those of the head where it was and
/// where it is, plus the body's, where it was and where it is, when it rose or fell. Standing, the arms move too: the
/// tracker then does not say (null, every row).
/// </summary>
internal sealed class CartoonChangeTracker
{
    // Sampling reaches a pixel past a posed layer's edge and antialiased strokes half their width: a few rows spare.
    private const float Margin = 4;

    private ChangedRows? _rows;
    private SKRect _head = SKRect.Empty;
    private int _rise;
    private bool _known;

    /// <summary>The rows the last frame changed; null when unknown.</summary>
    public ChangedRows? Last { get; private set; }

    /// <summary>Forgets the last frame: the next one is reported as unknown (new size, new layers, standing).</summary>
    public void Reset()
    {
        _known = false;
        Last = null;
    }

    /// <param name="head">Where the head drew this frame, in frame pixels.</param>
    /// <param name="rise">How far the body was moved (whole pixels).</param>
    /// <param name="body">The body's pixels at rest.</param>
    public void Frame(int height, SKRect head, int rise, SKRectI body)
    {
        if (!_known || _rows is null || _rows.Height != height)
        {
            _rows = new ChangedRows(height);
            Last = null;
        }
        else
        {
            _rows.Clear();
            _rows.Add(_head.Top - Margin, _head.Bottom + Margin);
            _rows.Add(head.Top - Margin, head.Bottom + Margin);
            if (rise != _rise)
            {
                _rows.Add(body.Top + _rise - Margin, body.Bottom + _rise + Margin);
                _rows.Add(body.Top + rise - Margin, body.Bottom + rise + Margin);
            }
            Last = _rows;
        }
        _head = head;
        _rise = rise;
        _known = true;
    }
}
