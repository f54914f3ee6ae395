using LiveHost.Avatars.Packages;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic;

/// <summary>
/// A package's frames, decoded ahead of the room's clock and scaled once to the room's size, so a tick only copies a
/// ready frame. A background task keeps the next <see cref="Lookahead"/> package ticks' frames (the loop is known:
/// ping-pong or repeat) in a fixed ring of room-size bitmaps made in the constructor; the render thread takes the
/// one for its tick with <see cref="Acquire"/>. When the frame is not ready (start-up, a jump in time, a starved
/// worker) the render thread makes it itself, into the same ring, with the same scaling: the picture is identical
/// either way, only slower (counted in <see cref="Misses"/>).
/// <code>
/// slot: Empty --claimed--> Producing --drawn--> Ready --no longer ahead, not held--> (claimed again)
/// </code>
/// The slot handed out last stays untouched until the next <see cref="Acquire"/>. One per avatar; Acquire is called
/// from one thread (the room's tick).
/// </summary>
public sealed class PrescaledFrameCache : IDisposable
{
    private enum SlotState { Empty, Producing, Ready }

    private sealed class Slot : IDisposable
    {
        public Slot(SKImageInfo info)
        {
            Bitmap = new SKBitmap(info);
            Canvas = new SKCanvas(Bitmap);
            // Wraps the bitmap's pixels without a copy; redrawing the bitmap changes what the image shows.
            Image = SKImage.FromPixels(Bitmap.PeekPixels());
        }

        public SKBitmap Bitmap { get; }
        public SKCanvas Canvas { get; }
        public SKImage Image { get; }
        public SlotState State { get; set; }
        public int Index { get; set; } = -1;

        public void Dispose()
        {
            Image.Dispose();
            Canvas.Dispose();
            Bitmap.Dispose();
        }
    }

    /// <summary>Package ticks decoded ahead of the one being shown.</summary>
    public const int Lookahead = 5;

    private readonly AvatarPackage _package;
    private readonly Func<long, int> _frameAt;
    private readonly Slot[] _slots;
    private readonly Scaler _worker;
    private readonly Scaler _inline;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _run;
    private readonly ManualResetEventSlim _runEnded = new(false);
    private long _wanted;
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification = "One of _slots, which Dispose disposes.")]
    private Slot? _held;
    private long _misses;

    /// <param name="frameAt">
    /// The stored frame shown on a package tick (any thread; default: the idle loop, <see cref="AvatarPackage.LoopFrame(long)"/>).
    /// A plan that changes (an action cut in) only costs a miss on the frames looked ahead under the old one.
    /// </param>
    public PrescaledFrameCache(AvatarPackage package, int width, int height, Func<long, int>? frameAt = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        _package = package;
        _frameAt = frameAt ?? package.LoopFrame;
        Width = width;
        Height = height;
        (Scale, Offset) = Cover(package, width, height);
        var info = new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Opaque);
        // Lookahead ticks ahead, the one being shown, and one the renderer may claim on a miss.
        _slots = new Slot[Lookahead + 2];
        for (var i = 0; i < _slots.Length; i++) _slots[i] = new Slot(info);
        _worker = new Scaler(package, this);
        _inline = new Scaler(package, this);
        _run = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Cover the room: scale so both sides fill it, centre, crop the overflow.</summary>
    public static (float Scale, SKPoint Offset) Cover(AvatarPackage package, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(package);
        var scale = Math.Max((float)width / package.Width, (float)height / package.Height);
        return (scale, new SKPoint((width - package.Width * scale) / 2, (height - package.Height * scale) / 2));
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Package pixels to room pixels, and where the package's origin lands in the room.</summary>
    public float Scale { get; }

    public SKPoint Offset { get; }

    /// <summary>Frames the render thread had to make itself because the worker had not made them yet.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>
    /// The room-size frame for package tick <paramref name="tick"/> (its stored frame is
    /// <c>frameAt</c>); valid until the next call.
    /// </summary>
    public SKImage Acquire(long tick)
    {
        var index = _frameAt(tick);
        Slot? slot;
        lock (_gate)
        {
            _wanted = tick;
            slot = Find(index, SlotState.Ready);
            if (slot is null)
            {
                // Never null: of the Lookahead + 2 slots one is held and at most one is being made by the worker.
                slot = Claim(index, tick, force: true)!;
            }
            _held = slot;
        }
        if (slot.State == SlotState.Producing)
        {
            Interlocked.Increment(ref _misses);
            _inline.Draw(slot, index);
            lock (_gate) slot.State = SlotState.Ready;
        }
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // The worker is already woken.
            }
        }
        return slot.Image;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await _wake.WaitAsync(stopping);
                while (!stopping.IsCancellationRequested && NextJob() is { } job)
                {
                    _worker.Draw(job.Slot, job.Index);
                    lock (_gate) job.Slot.State = SlotState.Ready;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            _runEnded.Set();
        }
    }

    /// <summary>The first frame ahead that is not ready or being made, with a slot to make it in.</summary>
    private (Slot Slot, int Index)? NextJob()
    {
        lock (_gate)
        {
            for (var tick = _wanted + 1; tick <= _wanted + Lookahead; tick++)
            {
                var index = _frameAt(tick);
                if (Find(index, SlotState.Ready) is not null || Find(index, SlotState.Producing) is not null) continue;
                return Claim(index, _wanted, force: false) is { } slot ? (slot, index) : null;
            }
            return null;
        }
    }

    private Slot? Find(int index, SlotState state)
    {
        foreach (var slot in _slots)
        {
            if (slot.Index == index && slot.State == state) return slot;
        }
        return null;
    }

    /// <summary>
    /// A slot that is neither held, being made, nor needed within the lookahead of <paramref name="from"/> (with
    /// <paramref name="force"/>, any slot neither held nor being made); marked Producing.
    /// </summary>
    private Slot? Claim(int index, long from, bool force)
    {
        Slot? victim = null;
        Slot? any = null;
        foreach (var slot in _slots)
        {
            if (ReferenceEquals(slot, _held) || slot.State == SlotState.Producing) continue;
            if (slot.State == SlotState.Empty)
            {
                victim = slot;
                break;
            }
            if (!IsAhead(slot.Index, from)) victim ??= slot;
            any ??= slot;
        }
        victim ??= force ? any : null;
        if (victim is null) return null;
        victim.State = SlotState.Producing;
        victim.Index = index;
        return victim;
    }

    private bool IsAhead(int index, long from)
    {
        for (var tick = from; tick <= from + Lookahead; tick++)
        {
            if (_frameAt(tick) == index) return true;
        }
        return false;
    }

    /// <summary>One decoder and the paint to scale with; one per thread that draws slots.</summary>
    private sealed class Scaler(AvatarPackage package, PrescaledFrameCache cache) : IDisposable
    {
        private readonly PackageFrameDecoder _decoder = new(package);
        private readonly SKPaint _paint = new() { IsAntialias = false, BlendMode = SKBlendMode.Src };
        private readonly SKSamplingOptions _sampling = new(SKFilterMode.Linear, SKMipmapMode.None);
        private SKImage? _decoded;

        public void Draw(Slot slot, int index)
        {
            _decoder.Decode(index);
            _decoded ??= SKImage.FromPixels(_decoder.Bitmap.PeekPixels());
            var scale = cache.Scale;
            var offset = cache.Offset;
            slot.Canvas.DrawImage(_decoded, new SKRect(0, 0, package.Width, package.Height),
                new SKRect(offset.X, offset.Y, offset.X + package.Width * scale, offset.Y + package.Height * scale), _sampling, _paint);
            slot.Canvas.Flush();
            slot.Bitmap.NotifyPixelsChanged();
        }

        public void Dispose()
        {
            _decoded?.Dispose();
            _decoder.Dispose();
            _paint.Dispose();
        }
    }

    public void Dispose()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        // The worker finishes the frame it is drawing (milliseconds) before the bitmaps go: a signalled wait, since
        // Dispose is synchronous and the worker's Task must not be blocked on.
        _runEnded.Wait();
        _runEnded.Dispose();
        _stopping.Dispose();
        _wake.Dispose();
        _worker.Dispose();
        _inline.Dispose();
        foreach (var slot in _slots) slot.Dispose();
    }
}
