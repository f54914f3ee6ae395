using LiveHost.Inference.Audio;
using LiveHost.Inference.Batching;
using LiveHost.Speech;

namespace LiveHost.Inference.Models;

/// <summary>
/// One room's audio-to-viseme estimate: the [80, 16] mel window (<see cref="MelWindowAlignment.CenteredOnFrame"/>)
/// centred <paramref name="leadSamples"/> after the frame's first sample (<see cref="AvatarFrame.AudioContextSamples"/>),
/// run through the shared viseme model's batching runner. The lead is the one the engine gives phoneme visemes (the
/// middle of the tick plus EngineOptions.VisemeLeadMilliseconds): the model names the viseme sounding at its window's
/// centre, and a mouth that shapes a sound slightly before it is heard looks in sync where one that follows it lags.
/// Capped at <see cref="MaxLeadSamples"/> so the window stays inside the 200 ms of audio the engine hands ahead. Render is synchronous, the runner is not: like RealisticAvatar it waits
/// for this frame's result on a signalled wait bounded by <paramref name="wait"/> (<see cref="BoundedFrameWait"/>); a late result is dropped (the
/// caller draws the phoneme viseme) and the next frame first waits for the late one, so one request at most is in
/// flight and the room's buffers are never written twice at once. No allocation per frame.
/// </summary>
public sealed class ModelVisemeEstimator(VisemeModel model, TimeSpan wait, int leadSamples = 0) : IFrameVisemeEstimator
{
    /// <summary>Most lead the audio context allows: the window's last column (+7.5 hops) must stay inside it.</summary>
    public const int MaxLeadSamples = AvatarFrame.AudioContextSamples - (MelParameters.WindowColumns / 2 * MelWindowExtractor.HopLength48k);

    private readonly int _lead = Math.Clamp(leadSamples, 0, MaxLeadSamples);
    private readonly VisemeRoom _room = model.CreateRoom();
    private readonly MelWindowExtractor _mel = new();
    private readonly BoundedFrameWait _run = new();
    private bool _disposed;

    /// <summary>Frames estimated, frames whose result came too late, frames with no audio, failed calls.</summary>
    public long Estimated { get; private set; }

    public long Late { get; private set; }

    public long NoAudio { get; private set; }

    public long Failed { get; private set; }

    public bool TryEstimate(in AvatarFrame frame, out Viseme viseme)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        viseme = Viseme.Silence;
        if (!_run.TryComplete(wait, out _))
        {
            Late++;
            return false;
        }
        if (frame.Audio.Length != 2 * AvatarFrame.AudioContextSamples)
        {
            NoAudio++;
            return false;
        }

        _mel.ComputeForFrame(frame.Audio.Span, AvatarFrame.AudioContextSamples + _lead, MelWindowAlignment.CenteredOnFrame, _room.Mel);
        _run.Track(_room.RunAsync());
        if (!_run.TryComplete(wait, out var failure))
        {
            Late++;
            return false;
        }
        if (failure is not null)
        {
            // The runner logged it; this frame draws the phoneme viseme.
            Failed++;
            return false;
        }
        viseme = _room.ReadPrediction();
        Estimated++;
        return true;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // The runner writes into this room's buffers until the request finishes; let it, briefly.
        _run.Dispose();
    }
}
