using LiveHost.Avatars;
using LiveHost.Speech;

namespace LiveHost.Engine.Playback;

/// <summary>
/// What the engine needs from the drawing stage: one finished frame (avatar, caption, AI label) into a BGRA buffer.
/// The label is the composer's duty, not the caller's, so no code path can leave it out.
/// </summary>
public interface IFrameComposer : IDisposable
{
    string Label { get; }

    void Compose(in AvatarFrame frame, string? caption, byte[] bgra);
}
