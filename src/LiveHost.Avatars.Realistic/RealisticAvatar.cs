using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.LipSync;
using LiveHost.Inference.Audio;
using LiveHost.Inference.Batching;
using LiveHost.Inference.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic;

/// <summary>
/// A recorded person as the presenter: plays the package's idle loop (ping-pong) at the package's own rate, scaled
/// to cover the room's canvas. When a Wav2Lip-contract model is given, each frame's face (96x96, lower half masked,
/// plus the same crop as reference) and the mel window cut from <see cref="AvatarFrame.Audio"/> go through the
/// shared batched runner, and the generated face is pasted over the lower face with a feathered mask.
/// <para>
/// Render is synchronous and the runner is asynchronous. It waits for this frame's result, bounded by
/// <see cref="RealisticAvatarOptions.LipSyncWait"/>, on a signalled wait (no polling, no thread parked beyond the
/// bound; <see cref="BoundedFrameWait"/>). Waiting gives the frame's own mouth for its own audio; preparing a frame ahead would hide latency but
/// the window for frame n+1 reaches past the audio the engine hands us (200 ms after frame n) and the mouth would
/// lag on every cut. A result that misses the bound is dropped and the recorded mouth shows (counted in
/// <see cref="LateFrames"/>); the next frame waits for the late one first, so only one frame is ever in flight.
/// </para>
/// One instance per room; not thread-safe. All buffers are made in the constructor.
/// </summary>
public sealed class RealisticAvatar : IAvatar
{
    private readonly AvatarPackage _package;
    private readonly PackageFrameDecoder _decoder;
    private readonly SKImage _frameImage;
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

    public RealisticAvatar(AvatarPackage package, Wav2LipModel? lipSync = null, RealisticAvatarOptions? options = null,
        ILogger<RealisticAvatar>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        _package = package;
        _options = options ?? new RealisticAvatarOptions();
        _logger = logger ?? NullLogger<RealisticAvatar>.Instance;
        _decoder = new PackageFrameDecoder(package);
        _frameImage = SKImage.FromPixels(_decoder.Bitmap.PeekPixels());
        if (lipSync is not null)
        {
            _lipSync = lipSync.CreateRoom();
            _mel = new MelWindowExtractor();
            var order = package.LipSyncModel?.ChannelOrder == ModelReference.Rgb ? FaceChannelOrder.Rgb : FaceChannelOrder.Bgr;
            _cropper = new FaceCropper(Wav2LipModel.FaceSize, _options.FeatherFraction, order);
        }
    }

    public string Id => _package.Id;

    public AvatarPackage Package => _package;

    public bool LipSyncEnabled => _lipSync is not null;

    /// <summary>Frames whose lip-sync result came back (pasted), and frames drawn with the recorded mouth because it was late.</summary>
    public long LipSyncedFrames { get; private set; }

    public long LateFrames { get; private set; }

    /// <summary>The stored frame drawn last, and where its face box landed on the canvas.</summary>
    public int LastPackageFrame { get; private set; } = -1;

    public SKRect LastFaceRect { get; private set; }

    public void Render(in AvatarFrame frame, SKCanvas canvas, int width, int height)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(canvas);
        var index = _package.LoopFrame((long)Math.Floor(frame.TimeSeconds * _package.Fps + 1e-6));
        _decoder.Decode(index);
        LastPackageFrame = index;

        // Cover the canvas: scale so both sides fill it, centre, crop the overflow.
        var scale = Math.Max((float)width / _package.Width, (float)height / _package.Height);
        var offsetX = (width - _package.Width * scale) / 2;
        var offsetY = (height - _package.Height * scale) / 2;
        canvas.DrawImage(_frameImage, new SKRect(0, 0, _package.Width, _package.Height),
            new SKRect(offsetX, offsetY, offsetX + _package.Width * scale, offsetY + _package.Height * scale), _sampling, _paint);

        var face = _package.Faces[index];
        LastFaceRect = new SKRect(offsetX + face.X * scale, offsetY + face.Y * scale, offsetX + face.Right * scale, offsetY + face.Bottom * scale);
        if (_lipSync is not null && RunLipSync(frame, face)) _cropper!.DrawPatch(canvas, LastFaceRect);
    }

    /// <summary>Runs this frame through the model; true when the patch is ready to draw.</summary>
    private bool RunLipSync(in AvatarFrame frame, FaceBox face)
    {
        if (!WaitForInFlight())
        {
            // The previous frame's request is still running: this frame keeps the recorded mouth.
            LateFrames++;
            return false;
        }

        var audio = frame.Audio.Length == 2 * AvatarFrame.AudioContextSamples ? frame.Audio.Span : _silence;
        // Wav2Lip was trained with each face paired to the mel window starting one 25 fps frame before it
        // (crop_audio_window(spec, i - 2) on 1-based frames), not at it: starting at the frame puts the mouth almost two
        // frames ahead of the voice.
        _mel!.ComputeForFrame(audio, AvatarFrame.AudioContextSamples - Wav2LipFrameSamples, MelWindowAlignment.StartsAtFrame, _lipSync!.Mel);
        _cropper!.FillInput(_frameImage, face, _lipSync.Face);

        _lipSyncRun.Track(_lipSync.RunAsync());
        if (!WaitForInFlight())
        {
            LateFrames++;
            return false;
        }
        _cropper.MakePatch(_lipSync.Output);
        LipSyncedFrames++;
        return true;
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
        _frameImage.Dispose();
        _decoder.Dispose();
        _cropper?.Dispose();
        _paint.Dispose();
    }
}
