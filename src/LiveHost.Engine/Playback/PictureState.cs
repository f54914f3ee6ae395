using LiveHost.Speech;

namespace LiveHost.Engine.Playback;

/// <summary>What the avatar shows for one tick of audio: mouth shape, loudness, whether it speaks, caption and audio window.</summary>
public readonly record struct PictureState(Viseme Viseme, float Loudness, bool Speaking, string? Caption, ReadOnlyMemory<float> Audio = default)
{
    public static PictureState Silent => new(Viseme.Silence, 0, false, null);
}
