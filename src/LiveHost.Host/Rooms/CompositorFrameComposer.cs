using LiveHost.Avatars;
using LiveHost.Avatars.Products;
using LiveHost.Engine.Playback;
using LiveHost.Media;
using LiveHost.Speech;
using LiveHost.Host.Capacity;

namespace LiveHost.Host.Rooms;

/// <summary>
/// Adapts the avatar library's compositor to the engine's drawing stage. <paramref name="card"/>, when given, says
/// before each frame which product card it carries (read from memory on the tick). <paramref name="cpu"/>, when given,
/// gets the tick thread's CPU time of each frame's drawing (capacity, issue 14).
/// </summary>
public sealed class CompositorFrameComposer(FrameCompositor compositor, Func<ProductCardFrame?>? card = null, RoomCpuMeter? cpu = null) : IFrameComposer
{
    public string Label => compositor.Label;

    public FrameCompositor Compositor => compositor;

    public ChangedRows? LastChangedRows => compositor.LastChangedRows;

    public void Compose(in AvatarFrame frame, string? caption, byte[] bgra)
    {
        var start = cpu is null ? 0 : CpuClocks.ThreadNanoseconds();
        if (card is not null) compositor.Card = card();
        compositor.Compose(frame, caption, bgra);
        if (cpu is not null) cpu.Add(CpuClocks.ThreadNanoseconds() - start);
    }

    public void Dispose() => compositor.Dispose();
}
