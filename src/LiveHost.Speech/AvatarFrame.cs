namespace LiveHost.Speech;

/// <summary>
/// What the engine knows about one video frame, for an avatar to draw from: the engine makes it, the avatars and the
/// viseme model read it, so it lives here beside <see cref="Viseme"/> and neither needs the other.
/// </summary>
/// <param name="TimeSeconds">Media time of the frame since the room started (drives idle motion).</param>
/// <param name="Viseme">The mouth shape of the phoneme sounding now (Silence between words and lines).</param>
/// <param name="Loudness">Audio level of the frame's samples, 0..1 (RMS relative to full scale, scaled).</param>
/// <param name="Speaking">True while a line is being spoken.</param>
/// <param name="Audio">
/// 48 kHz mono audio around the frame, <see cref="AudioContextSamples"/> samples before it and as many from its first
/// sample on, so audio-driven models (Wav2Lip, the viseme model) can see the sound slightly ahead of the picture and
/// keep lips in sync. Zeros where nothing was or will be heard. Empty when the engine gives no audio (unit tests). The
/// buffer is reused by the next tick: read it during <c>Render</c>, never keep it.
/// </param>
public readonly record struct AvatarFrame(
    long FrameIndex, double TimeSeconds, Viseme Viseme, float Loudness, bool Speaking, ReadOnlyMemory<float> Audio = default)
{
    /// <summary>Samples of context on each side of the frame's start: 200 ms, Wav2Lip's window length.</summary>
    public const int AudioContextSamples = 9600;
}
