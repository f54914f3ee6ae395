using LiveHost.Speech;

namespace LiveHost.Engine.Playback;

/// <summary>
/// What the avatar's mouth shows for one tick of audio: mouth shape, loudness, whether it speaks, and the audio window
/// (what a lip-synced presenter reads). All of it must stay in step with the sound, so it waits for the audio lead
/// (<see cref="PictureDelayLine"/>); the caption does not (<see cref="CaptionTail"/>).
/// </summary>
public readonly record struct PictureState(Viseme Viseme, float Loudness, bool Speaking, ReadOnlyMemory<float> Audio = default)
{
    public static PictureState Silent => new(Viseme.Silence, 0, false);
}
