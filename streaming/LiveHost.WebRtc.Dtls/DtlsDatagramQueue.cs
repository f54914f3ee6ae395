using System.Buffers;

namespace LiveHost.WebRtc.Dtls;

/// <summary>
/// The bounded hand-off between the demux (which calls <see cref="TryEnqueue"/> on its receive loop) and the
/// session's DTLS handshake thread, or once connected a short pass on the thread pool (which read with
/// <see cref="TryDequeue"/>, because BouncyCastle's DatagramTransport is synchronous). Datagrams are copied into
/// buffers rented from <see cref="ArrayPool{T}.Shared"/>; the queue owns them until they are copied out or dropped. When full, the oldest datagram is dropped: DTLS retransmits,
/// and a stale flight is worth less than a fresh one.
/// </summary>
internal sealed class DtlsDatagramQueue(int capacity)
{
    private readonly object _gate = new();
    private readonly byte[][] _buffers = new byte[capacity][];
    private readonly int[] _lengths = new int[capacity];
    private int _head;
    private int _count;
    private bool _stopped;
    private long _dropped;

    /// <summary>Outcome of a dequeue.</summary>
    internal enum Result
    {
        Received,
        TimedOut,
        Stopped,
    }

    /// <summary>Datagrams dropped because the queue was full, stopped, or the datagram was rejected up front.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void CountDrop() => Interlocked.Increment(ref _dropped);

    /// <summary>Copies the datagram in. Returns false (and counts a drop) when the queue is stopped.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> datagram)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(buffer);
        byte[]? evicted = null;
        lock (_gate)
        {
            if (_stopped)
            {
                evicted = buffer;
            }
            else
            {
                if (_count == _buffers.Length)
                {
                    evicted = _buffers[_head];
                    _buffers[_head] = null!;
                    _head = (_head + 1) % _buffers.Length;
                    _count--;
                }

                int tail = (_head + _count) % _buffers.Length;
                _buffers[tail] = buffer;
                _lengths[tail] = datagram.Length;
                _count++;
                Monitor.Pulse(_gate);
            }
        }

        if (evicted is not null)
        {
            Interlocked.Increment(ref _dropped);
            ArrayPool<byte>.Shared.Return(evicted);
            return !ReferenceEquals(evicted, buffer);
        }

        return true;
    }

    /// <summary>
    /// Waits up to <paramref name="waitMillis"/> (0 = no limit, as in BouncyCastle's DatagramReceiver) for a
    /// datagram and copies it into <paramref name="destination"/>, truncating if it does not fit.
    /// </summary>
    public Result TryDequeue(Span<byte> destination, int waitMillis, out int length)
    {
        length = 0;
        byte[] buffer;
        lock (_gate)
        {
            long deadline = waitMillis > 0 ? Environment.TickCount64 + waitMillis : long.MaxValue;
            while (_count == 0 && !_stopped)
            {
                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    return Result.TimedOut;
                }

                Monitor.Wait(_gate, remaining >= int.MaxValue ? Timeout.Infinite : (int)remaining);
            }

            if (_stopped)
            {
                return Result.Stopped;
            }

            buffer = _buffers[_head];
            length = Math.Min(_lengths[_head], destination.Length);
            _buffers[_head] = null!;
            _head = (_head + 1) % _buffers.Length;
            _count--;
        }

        buffer.AsSpan(0, length).CopyTo(destination);
        ArrayPool<byte>.Shared.Return(buffer);
        return Result.Received;
    }

    /// <summary>Whether a datagram is waiting (false once stopped).</summary>
    public bool HasData
    {
        get
        {
            lock (_gate)
            {
                return _count > 0 && !_stopped;
            }
        }
    }

    /// <summary>Wakes every waiter; later enqueues are dropped.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Returns every queued buffer to the pool.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            while (_count > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffers[_head]);
                _buffers[_head] = null!;
                _head = (_head + 1) % _buffers.Length;
                _count--;
            }
        }
    }
}
