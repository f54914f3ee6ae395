namespace LiveHost.Speech;

/// <summary>
/// Guesses the mouth shape of a frame from its sound (<see cref="AvatarFrame.Audio"/>) rather than from the speech
/// engine's phoneme marks, so any audio can drive the mouth. Implementations may run a model with a bounded wait;
/// one per room, called from the room's tick loop only.
/// </summary>
public interface IFrameVisemeEstimator : IDisposable
{
    /// <summary>
    /// The viseme heard at the frame's start, or false when no estimate is ready in time (no audio, a late or failed
    /// model call); the caller then falls back to the frame's phoneme viseme.
    /// </summary>
    bool TryEstimate(in AvatarFrame frame, out Viseme viseme);
}
