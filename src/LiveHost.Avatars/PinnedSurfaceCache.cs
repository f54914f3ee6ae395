using System.Runtime.InteropServices;
using SkiaSharp;

namespace LiveHost.Avatars;

/// <summary>
/// Skia surfaces drawing straight into callers' pixel arrays (no copy). Creating a surface costs native work and
/// about 1.5 KB of managed garbage, so the surfaces of the last few arrays are kept: the engine cycles a small pool
/// of frame buffers, and after warm-up every frame finds its surface here. A cached array stays pinned (and alive)
/// until it is evicted or the cache is disposed; frame buffers live on the large-object heap, which is not
/// compacted by default, so pinning them costs nothing.
/// </summary>
public sealed class PinnedSurfaceCache : IDisposable
{
    private readonly SKImageInfo _info;
    private readonly Entry[] _entries;
    private long _clock;

    public PinnedSurfaceCache(SKImageInfo info, int capacity = 4)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _info = info;
        _entries = new Entry[capacity];
    }

    /// <summary>Surfaces created so far (a cache miss each); for tests and diagnostics.</summary>
    public int Created { get; private set; }

    /// <summary>The surface over this array; valid until the next call or until disposal.</summary>
    public SKSurface For(byte[] pixels)
    {
        _clock++;
        var victim = 0;
        for (var i = 0; i < _entries.Length; i++)
        {
            ref var entry = ref _entries[i];
            if (ReferenceEquals(entry.Pixels, pixels))
            {
                entry.LastUsed = _clock;
                return entry.Surface!;
            }
            if (entry.LastUsed < _entries[victim].LastUsed) victim = i;
        }

        ref var slot = ref _entries[victim];
        Release(ref slot);
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        var surface = SKSurface.Create(_info, handle.AddrOfPinnedObject(), _info.RowBytes);
        if (surface is null)
        {
            handle.Free();
            throw new InvalidOperationException($"Skia could not create a {_info.Width}x{_info.Height} surface.");
        }
        slot = new Entry { Pixels = pixels, Handle = handle, Surface = surface, LastUsed = _clock };
        Created++;
        return surface;
    }

    private static void Release(ref Entry entry)
    {
        entry.Surface?.Dispose();
        if (entry.Handle.IsAllocated) entry.Handle.Free();
        entry = default;
    }

    public void Dispose()
    {
        for (var i = 0; i < _entries.Length; i++) Release(ref _entries[i]);
    }

    private struct Entry
    {
        public byte[]? Pixels;
        public GCHandle Handle;
        public SKSurface? Surface;
        public long LastUsed;
    }
}
