using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Actions;
using LiveHost.Avatars.Realistic.Atlas;
using LiveHost.Avatars.Realistic.LipSync;
using LiveHost.Inference.Audio;
using LiveHost.Inference.Batching;
using LiveHost.Inference.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;
using LiveHost.Speech;

namespace LiveHost.Avatars.Realistic;

/// <summary>
/// A recorded person as the presenter: plays the package's idle loop (ping-pong) at the package's own rate, scaled
/// to cover the room's canvas. Frames are decoded ahead and scaled once to the room's size off the tick
/// (<see cref="PrescaledFrameCache"/>), so a tick copies a ready frame. When a Wav2Lip-contract model is given, each
/// frame's face (96x96, lower half masked, plus the same crop as reference) and the mel window cut from
/// <see cref="AvatarFrame.Audio"/> go through the shared batched runner, and the generated face is pasted over the
/// lower face with a feathered mask. A package with <c>lipSync: atlas</c> draws its mouths from its mouth atlas
/// instead (<see cref="AtlasMouth"/>: a recorded sample per viseme, on the CPU, no model).
/// <para>
/// Lip-sync is pipelined one tick deep, so the tick never waits a model's whole run: tick n submits frame n's face
/// and audio and returns; tick n+1 pastes that result (waiting for it at most <see cref="RealisticAvatarOptions.LipSyncWait"/>,
/// on a signalled wait, <see cref="BoundedFrameWait"/>) and submits its own. The mouth is therefore shown one frame
/// (40 ms) after the frame it was made for; Wav2Lip's window starts one frame before its face, which puts the mouth
/// 0.84 frames ahead of the voice, so shown a frame later it trails the voice by 0.16 frames. A result that is not back
/// in time, or failed, is dropped, and the frame keeps the recorded mouth (counted in <see cref="LateFrames"/>);
/// only one request is ever in flight.
/// </para>
/// <para>
/// A package with <c>actions</c> plays them on request (<see cref="IAvatarActions"/>, <see cref="ActionTimeline"/>): the
/// loop plays on until it shows the action's entry idle frame (at most <see cref="RealisticAvatarOptions.ActionMaxWait"/>),
/// then the action's frames, then the loop again from the exit idle frame. Lip sync follows each frame's own face box,
/// in actions too, except on action frames where the build found no face.
/// </para>
/// One instance per room; not thread-safe, except <see cref="TryPlay"/> and <see cref="Playing"/>. Buffers are made in the constructor, and the frame cache at the first
/// Render (it needs the room's size); nothing is allocated per frame after that.
/// </summary>
public sealed partial class RealisticAvatar : IAvatar, IAvatarActions
{
    private readonly ActionTimeline _timeline;
    private readonly string[] _actions;
    private readonly bool[] _noFace;
    private volatile string? _playing;
    private readonly AvatarPackage _package;
    private PrescaledFrameCache? _frames;
    private readonly Wav2LipRoom? _lipSync;
    private readonly MelWindowExtractor? _mel;
    private readonly FaceCropper? _cropper;
    private readonly RealisticAvatarOptions _options;
    private readonly ILogger<RealisticAvatar> _logger;
    private readonly BoundedFrameWait _lipSyncRun = new();
    private readonly SKPaint _paint = new() { IsAntialias = false };
    private readonly SKSamplingOptions _sampling = new(SKFilterMode.Linear, SKMipmapMode.None);
    /// <summary>One frame of Wav2Lip's 25 fps at 48 kHz.</summary>
    private const int Wav2LipFrameSamples = 48_000 / 25;

    private readonly float[] _silence = new float[2 * AvatarFrame.AudioContextSamples];
    private bool _disposed;
    private readonly AtlasMouth? _atlas;

    public RealisticAvatar(AvatarPackage package, Wav2LipModel? lipSync = null, RealisticAvatarOptions? options = null,
        ILogger<RealisticAvatar>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        _package = package;
        _options = options ?? new RealisticAvatarOptions();
        _logger = logger ?? NullLogger<RealisticAvatar>.Instance;
        _actions = package.Actions.Select(a => a.Name).ToArray();
        _timeline = new ActionTimeline(package, (long)Math.Ceiling(_options.ActionMaxWait.TotalSeconds * package.Fps));
        _noFace = new bool[package.StoredFrameCount];
        for (var i = 0; i < package.Actions.Count; i++)
        {
            foreach (var frame in package.Actions[i].NoFace) _noFace[package.ActionStart(i) + frame] = true;
        }
        // A package whose lip sync is its mouth atlas draws mouths from it; no model runs.
        if (package.Atlas is not null) _atlas = new AtlasMouth(package, _options.AtlasFeatherFraction);
        else if (lipSync is not null)
        {
            _lipSync = lipSync.CreateRoom();
            _mel = new MelWindowExtractor();
            var order = package.LipSyncModel?.ChannelOrder == ModelReference.Rgb ? FaceChannelOrder.Rgb : FaceChannelOrder.Bgr;
            _cropper = new FaceCropper(Wav2LipModel.FaceSize, _options.FeatherFraction, order);
        }
    }

    public string Id => _package.Id;

    public IReadOnlyList<string> Actions => _actions;

    /// <summary>Asks for an action by name (any thread); it starts when the loop reaches its entry frame. False: no such action.</summary>
    public bool TryPlay(string action)
    {
        var index = Array.IndexOf(_actions, action);
        if (index < 0) return false;
        _timeline.Request(index);
        return true;
    }

    /// <summary>The action whose frames were drawn on the last frame, or null (read from any thread).</summary>
    public string? Playing => _playing;

    /// <summary>Action requests dropped because the loop would not reach the entry frame within the wait.</summary>
    public long DroppedActions => _timeline.Dropped;

    public AvatarPackage Package => _package;

    public bool LipSyncEnabled => _lipSync is not null || _atlas is not null;

    /// <summary>The mouth atlas drawing this avatar's mouths, or null.</summary>
    public AtlasMouth? Atlas => _atlas;

    /// <summary>Frames whose lip-sync result came back (pasted), and frames drawn with the recorded mouth because it was late.</summary>
    public long LipSyncedFrames { get; private set; }

    /// <summary>Read from any thread (the /metrics scrape reads it as <c>livehost_lipsync_late_frames_total</c>).</summary>
    public long LateFrames => Interlocked.Read(ref _lateFrames);

    private long _lateFrames;

    // Renders so far, and the render whose lip-sync request is in flight or unread (0: none).
    private long _rendered;
    private long _requestedAt;

    /// <summary>Frames the tick had to decode itself because the background decoder had not got to them yet.</summary>
    public long DecodeMisses => _frames?.Misses ?? 0;

    /// <summary>The stored frame drawn last, and where its face box landed on the canvas.</summary>
    public int LastPackageFrame { get; private set; } = -1;

    public SKRect LastFaceRect { get; private set; }

    public void Render(in AvatarFrame frame, SKCanvas canvas, int width, int height)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(canvas);
        if (_frames is null || _frames.Width != width || _frames.Height != height)
        {
            _frames?.Dispose();
            _frames = new PrescaledFrameCache(_package, width, height, _timeline.FrameAt);
        }
        var tick = (long)Math.Floor(frame.TimeSeconds * _package.Fps + 1e-6);
        var dropped = _timeline.Dropped;
        var index = _timeline.Advance(tick);
        _playing = _timeline.Playing;
        if (_timeline.Dropped != dropped)
        {
            _logger.LogWarning("Avatar {Id}: an action was dropped: its entry frame does not come round within {Wait} (the idle loop is {Seconds:0.#} s, played forward and back)",
                Id, _options.ActionMaxWait, _package.FrameCount / _package.Fps);
        }
        var image = _frames.Acquire(tick);
        LastPackageFrame = index;

        // Already the room's size (covering it, centred): a plain copy.
        canvas.DrawImage(image, 0, 0, _sampling, _paint);

        var face = _package.FaceOf(index);
        var scale = _frames.Scale;
        var offset = _frames.Offset;
        LastFaceRect = new SKRect(offset.X + face.X * scale, offset.Y + face.Y * scale, offset.X + face.Right * scale, offset.Y + face.Bottom * scale);
        _rendered++;
        // An action frame where the build found no face (turned away): the recorded mouth stays.
        if (_noFace[index]) return;
        if (_atlas is not null) _atlas.Draw(frame, canvas, LastFaceRect);
        else if (_lipSync is not null) LipSync(frame, image, canvas);
    }

    /// <summary>Pastes the mouth made for the previous frame, if it is back in time, and sends this frame's.</summary>
    private void LipSync(in AvatarFrame frame, SKImage image, SKCanvas canvas)
    {
        if (_requestedAt != 0)
        {
            var done = WaitForInFlight();
            if (!done && _lipSyncRun.HasInFlight)
            {
                // Still running: this frame keeps the recorded mouth, and no second request goes in behind it.
                Interlocked.Increment(ref _lateFrames);
                return;
            }
            // Back (or failed). A result that missed its own frame's successor is too old to show.
            var fresh = done && _requestedAt == _rendered - 1;
            _requestedAt = 0;
            if (fresh)
            {
                _cropper!.MakePatch(_lipSync!.Output);
                _cropper.DrawPatch(canvas, LastFaceRect);
                LipSyncedFrames++;
            }
            else
            {
                Interlocked.Increment(ref _lateFrames);
            }
        }
        Submit(frame, image, LastFaceRect);
    }

    /// <summary>Sends this frame's face and audio to the model; the next Render shows the result.</summary>
    private void Submit(in AvatarFrame frame, SKImage image, SKRect face)
    {
        var audio = frame.Audio.Length == 2 * AvatarFrame.AudioContextSamples ? frame.Audio.Span : _silence;
        // Wav2Lip was trained with each face paired to the mel window starting one 25 fps frame before it
        // (crop_audio_window(spec, i - 2) on 1-based frames), not at it: starting at the frame puts the mouth almost two
        // frames ahead of the voice.
        _mel!.ComputeForFrame(audio, AvatarFrame.AudioContextSamples - Wav2LipFrameSamples, MelWindowAlignment.StartsAtFrame, _lipSync!.Mel);
        _cropper!.FillInput(image, face, _lipSync.Face);

        _lipSyncRun.Track(_lipSync.RunAsync());
        _requestedAt = _rendered;
    }

    /// <summary>Waits (bounded) for the request in flight, if any; true when none is left and the last one succeeded.</summary>
    private bool WaitForInFlight()
    {
        if (!_lipSyncRun.TryComplete(_options.LipSyncWait, out var failure)) return false;
        if (failure is null) return true;
        _logger.LogWarning(failure, "Lip-sync inference failed for avatar {Id}; drawing the recorded mouth", Id);
        return false;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // The runner writes into this room's buffers until the request finishes; let it, briefly, before freeing them.
        _lipSyncRun.Dispose();
        _frames?.Dispose();
        _cropper?.Dispose();
        _atlas?.Dispose();
        _paint.Dispose();
    }
}
