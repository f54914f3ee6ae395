using LiveHost.Avatars;
using LiveHost.Engine.Playback;

namespace LiveHost.Host.Rooms;

/// <summary>Adapts the avatar library's compositor to the engine's drawing stage.</summary>
public sealed class CompositorFrameComposer(FrameCompositor compositor) : IFrameComposer
{
    public string Label => compositor.Label;

    public void Compose(in AvatarFrame frame, string? caption, byte[] bgra) => compositor.Compose(frame, caption, bgra);

    public void Dispose() => compositor.Dispose();
}
