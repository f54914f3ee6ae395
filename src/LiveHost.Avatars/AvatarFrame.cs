using LiveHost.Speech;

namespace LiveHost.Avatars;

/// <summary>What the engine knows about one video frame, for an avatar to draw from.</summary>
/// <param name="TimeSeconds">Media time of the frame since the room started (drives idle motion).</param>
/// <param name="Viseme">The mouth shape of the phoneme sounding now (Silence between words and lines).</param>
/// <param name="Loudness">Audio level of the frame's samples, 0..1 (RMS relative to full scale, scaled).</param>
/// <param name="Speaking">True while a line is being spoken.</param>
public readonly record struct AvatarFrame(long FrameIndex, double TimeSeconds, Viseme Viseme, float Loudness, bool Speaking);
