using LiveHost.Speech;
using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// Drives an avatar's mouth from the audio itself: each frame's viseme comes from an
/// <see cref="IFrameVisemeEstimator"/> (the viseme model over the mel window centred on the frame) instead of the
/// speech engine's phoneme marks; everything else about the frame is passed through. When the estimate is not
/// ready in time the phoneme viseme is used for that frame (counted in <see cref="FallbackFrames"/>), so a slow
/// model costs accuracy, never a frame. During a line the engine's Speaking flag is kept (so idle motion is exactly
/// as with phoneme marks) and the mouth closes wherever the audio sounds like silence; outside a line, audio that
/// sounds like speech still opens the mouth.
/// </summary>
public sealed class AudioDrivenMouthAvatar : IAvatar
{
    private readonly IAvatar _inner;
    private readonly IFrameVisemeEstimator _estimator;
    private bool _disposed;

    /// <param name="inner">The avatar to draw (owned: disposed with this one).</param>
    /// <param name="estimator">The room's estimator (owned: disposed with this one).</param>
    public AudioDrivenMouthAvatar(IAvatar inner, IFrameVisemeEstimator estimator)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(estimator);
        _inner = inner;
        _estimator = estimator;
    }

    public string Id => _inner.Id;

    public IAvatar Inner => _inner;

    /// <summary>Frames drawn with the audio's viseme, and frames that fell back to the phoneme viseme.</summary>
    public long AudioFrames { get; private set; }

    public long FallbackFrames { get; private set; }

    /// <summary>The viseme the last frame was drawn with, and whether it came from the audio.</summary>
    public Viseme LastViseme { get; private set; }

    public bool LastFromAudio { get; private set; }

    public void Render(in AvatarFrame frame, SKCanvas canvas, int width, int height)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_estimator.TryEstimate(frame, out var viseme))
        {
            AudioFrames++;
            LastViseme = viseme;
            LastFromAudio = true;
            _inner.Render(frame with { Viseme = viseme, Speaking = frame.Speaking || viseme != Viseme.Silence }, canvas, width, height);
            return;
        }
        FallbackFrames++;
        LastViseme = frame.Viseme;
        LastFromAudio = false;
        _inner.Render(frame, canvas, width, height);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _estimator.Dispose();
        _inner.Dispose();
    }
}
