using LiveHost.Avatars;
using LiveHost.Avatars.Products;
using LiveHost.Engine.Playback;
using LiveHost.Speech;

namespace LiveHost.Host.Rooms;

/// <summary>
/// Adapts the avatar library's compositor to the engine's drawing stage. <paramref name="card"/>, when given, says
/// before each frame which product card it carries (read from memory on the tick).
/// </summary>
public sealed class CompositorFrameComposer(FrameCompositor compositor, Func<ProductCardFrame?>? card = null) : IFrameComposer
{
    public string Label => compositor.Label;

    public FrameCompositor Compositor => compositor;

    public void Compose(in AvatarFrame frame, string? caption, byte[] bgra)
    {
        if (card is not null) compositor.Card = card();
        compositor.Compose(frame, caption, bgra);
    }

    public void Dispose() => compositor.Dispose();
}
