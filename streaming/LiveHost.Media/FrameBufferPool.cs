using System.Collections.Concurrent;

namespace LiveHost.Media;

/// <summary>
/// Fixed-size pixel buffers for one room's frames. The engine rents one per tick; the encoder returns it once
/// ffmpeg has the bytes. Bounded so that a stalled encoder cannot make the room grow without limit.
/// </summary>
public sealed class FrameBufferPool
{
    private readonly ConcurrentBag<byte[]> _free = new();
    private readonly int _maxRetained;
    private long _allocated;

    public FrameBufferPool(int bufferSize, int maxRetained = 8)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferSize);
        BufferSize = bufferSize;
        _maxRetained = maxRetained;
    }

    public int BufferSize { get; }

    /// <summary>How many buffers this pool has ever allocated (a pool metric: steady state stops growing).</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

    public byte[] Rent()
    {
        if (_free.TryTake(out var buffer)) return buffer;
        Interlocked.Increment(ref _allocated);
        return new byte[BufferSize];
    }

    public void Return(byte[] buffer)
    {
        if (buffer.Length != BufferSize) throw new ArgumentException("buffer does not belong to this pool", nameof(buffer));
        if (_free.Count < _maxRetained) _free.Add(buffer);
    }
}
