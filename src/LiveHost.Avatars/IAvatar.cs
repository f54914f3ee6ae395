using SkiaSharp;
using LiveHost.Speech;

namespace LiveHost.Avatars;

/// <summary>
/// A presenter that draws itself, one frame at a time, onto a canvas of the room's size. One instance per room:
/// it may keep state between frames (smoothing, blink timing). Overlays (captions, the AI label) are not its job.
/// </summary>
public interface IAvatar : IDisposable
{
    string Id { get; }

    void Render(in AvatarFrame frame, SKCanvas canvas, int width, int height);
}
