using LiveHost.Speech;

namespace LiveHost.Avatars;

/// <summary>
/// For a mouth driven by phoneme marks where some voices give none (a speech server's): asks the audio estimator
/// (the viseme model) only for frames that are speaking but carry no phoneme viseme, which is every speaking frame
/// of a line without timings, and otherwise declines, so <see cref="AudioDrivenMouthAvatar"/> draws the phoneme
/// viseme exactly as before. A timed voice's pauses inside a line (speaking, silence) also go to the model, which
/// hears the pause.
/// </summary>
public sealed class UntimedSpeechVisemeEstimator(IFrameVisemeEstimator audio) : IFrameVisemeEstimator
{
    public bool TryEstimate(in AvatarFrame frame, out Viseme viseme)
    {
        viseme = Viseme.Silence;
        return frame.Speaking && frame.Viseme == Viseme.Silence && audio.TryEstimate(frame, out viseme);
    }

    public void Dispose() => audio.Dispose();
}
