using System.Diagnostics;
using LiveHost.Avatars;
using LiveHost.Avatars.Realistic;
using LiveHost.Speech;
using SkiaSharp;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>
/// Wraps the room's real avatar: draws it off screen, copies the result to the room's canvas (so the stream is
/// unchanged), and measures the mouth against a twin of the same avatar drawn on the same frame with the mouth
/// left alone (a cartoon told Silence, a realistic avatar without its lip-sync model). Everything else about the two
/// pictures is identical (same idle motion seed, same package frame), so the difference is the mouth alone.
/// </summary>
public sealed class RecordingAvatar : IAvatar, IAvatarActions
{
    private readonly IAvatar _inner;
    private readonly IAvatar _twin;
    private readonly int _samplesPerFrame;
    private readonly List<FrameRecord> _frames = [];
    private readonly Lock _gate = new();
    private SKBitmap? _drawn;
    private SKBitmap? _reference;

    public RecordingAvatar(IAvatar inner, int fps)
    {
        _inner = inner;
        _samplesPerFrame = 48000 / fps;
        _twin = Core(inner) switch
        {
            RealisticAvatar realistic => new RealisticAvatar(realistic.Package),
            _ => new CartoonPresenter(),
        };
    }

    public string Id => _inner.Id;

    public IAvatar Inner => _inner;

    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Completes when <paramref name="count"/> frames have been recorded (at once if they already have).</summary>
    public Task WhenFramesAsync(int count)
    {
        lock (_gate)
        {
            if (_frames.Count >= count) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task;
        }
    }

    public IReadOnlyList<string> Actions => Core(_inner) is IAvatarActions actions ? actions.Actions : [];

    public string? Playing => Core(_inner) is IAvatarActions actions ? actions.Playing : null;

    /// <summary>Plays the action on the avatar and on its twin, so the twin keeps drawing the same frames.</summary>
    public bool TryPlay(string action)
    {
        if (Core(_inner) is not IAvatarActions actions || !actions.TryPlay(action)) return false;
        (_twin as IAvatarActions)?.TryPlay(action);
        return true;
    }

    public IReadOnlyList<FrameRecord> Frames
    {
        get { lock (_gate) return [.. _frames]; }
    }

    public void Render(in AvatarFrame frame, SKCanvas canvas, int width, int height)
    {
        if (_drawn is null || _drawn.Width != width || _drawn.Height != height)
        {
            _drawn?.Dispose();
            _reference?.Dispose();
            _drawn = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul));
            _reference = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul));
        }
        var shown = Core(_inner) as RealisticAvatar;
        var lateBefore = shown?.LateFrames ?? 0;
        using (var offscreen = new SKCanvas(_drawn))
        {
            offscreen.Clear(SKColors.Black);
            _inner.Render(frame, offscreen, width, height);
        }
        var late = (shown?.LateFrames ?? 0) > lateBefore;
        using (var pixels = _drawn.PeekPixels())
        using (var image = SKImage.FromPixels(pixels))
        {
            canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default);
        }

        Viseme? audioViseme = _inner is AudioDrivenMouthAvatar { LastFromAudio: true } driven ? driven.LastViseme : null;
        Viseme? atlasViseme = shown is { Atlas: { } atlas } ? atlas.LastViseme : null;
        var twinFrame = frame with { Viseme = Viseme.Silence, Speaking = frame.Speaking || audioViseme is not (null or Viseme.Silence) };
        using (var offscreen = new SKCanvas(_reference!))
        {
            offscreen.Clear(SKColors.Black);
            _twin.Render(twinFrame, offscreen, width, height);
        }

        var change = _twin is RealisticAvatar realistic
            ? SignedMean(_drawn, _reference!, MouthRows(realistic.LastFaceRect))
            : AbsoluteMean(_drawn, _reference!);
        var record = new FrameRecord(frame.FrameIndex, frame.Speaking, frame.Viseme, audioViseme, TickRms(frame.Audio.Span),
            change, Stopwatch.GetTimestamp(), atlasViseme, late);
        lock (_gate)
        {
            _frames.Add(record);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_frames.Count < _waiters[i].Count) continue;
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    private static IAvatar Core(IAvatar avatar) => avatar is AudioDrivenMouthAvatar driven ? driven.Inner : avatar;

    private double TickRms(ReadOnlySpan<float> audio)
    {
        if (audio.Length < AvatarFrame.AudioContextSamples + _samplesPerFrame) return 0;
        var tick = audio.Slice(AvatarFrame.AudioContextSamples, _samplesPerFrame);
        double sum = 0;
        foreach (var s in tick) sum += s * s;
        return Math.Sqrt(sum / tick.Length);
    }

    /// <summary>The lip-sync model's mouth rows (60..83 of its 96-pixel crop) of the face box, inset from the feathered sides.</summary>
    public static SKRectI MouthRows(SKRect face) => SKRectI.Round(new SKRect(
        face.Left + face.Width * 0.25f, face.Top + face.Height * 64 / 96f, face.Right - face.Width * 0.25f, face.Top + face.Height * 80 / 96f));

    private static double AbsoluteMean(SKBitmap a, SKBitmap b)
    {
        var pa = a.GetPixelSpan();
        var pb = b.GetPixelSpan();
        long sum = 0;
        for (var i = 0; i < pa.Length; i += 4) sum += Math.Abs(pa[i] - pb[i]) + Math.Abs(pa[i + 1] - pb[i + 1]) + Math.Abs(pa[i + 2] - pb[i + 2]);
        return sum / (pa.Length / 4 * 3.0);
    }

    private static double SignedMean(SKBitmap a, SKBitmap b, SKRectI region)
    {
        region.Intersect(new SKRectI(0, 0, a.Width, a.Height));
        if (region.IsEmpty) return 0;
        var pa = a.GetPixelSpan();
        var pb = b.GetPixelSpan();
        long sum = 0;
        for (var y = region.Top; y < region.Bottom; y++)
        {
            for (var x = region.Left; x < region.Right; x++)
            {
                var i = (y * a.Width + x) * 4;
                sum += pa[i] - pb[i] + pa[i + 1] - pb[i + 1] + pa[i + 2] - pb[i + 2];
            }
        }
        return sum / (region.Width * (double)region.Height * 3);
    }

    public void Dispose()
    {
        _inner.Dispose();
        _twin.Dispose();
        _drawn?.Dispose();
        _reference?.Dispose();
    }
}
