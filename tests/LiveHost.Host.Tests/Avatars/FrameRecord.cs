using LiveHost.Speech;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>What the recorder saw on one frame of a room.</summary>
/// <param name="Speaking">The engine's flag: a line is playing.</param>
/// <param name="PhonemeViseme">The viseme the engine derived from espeak's phoneme marks.</param>
/// <param name="AudioViseme">The viseme the audio-driven mouth drew, or null when it did not come from the audio.</param>
/// <param name="TickRms">RMS (full scale 1) of the 48 kHz samples the engine plays during this frame.</param>
/// <param name="MouthChange">
/// How the drawn frame differs from the same avatar drawn with a closed mouth (cartoon: mean absolute difference
/// over the frame) or without lip-sync (realistic: mean signed difference over the lip-sync mouth rows), 0..255.
/// </param>
/// <param name="RenderedAt">Stopwatch timestamp of the render.</param>
/// <param name="AtlasViseme">The viseme whose mouth-atlas sample a realistic avatar drew on this frame, or null (no atlas).</param>
/// <param name="LipSyncLate">
/// The realistic avatar's lip-sync result for this frame was not back in time, so the frame shows the recorded mouth
/// (its <c>LateFrames</c> counter went up while drawing it).
/// </param>
public sealed record FrameRecord(
    long FrameIndex, bool Speaking, Viseme PhonemeViseme, Viseme? AudioViseme, double TickRms, double MouthChange, long RenderedAt,
    Viseme? AtlasViseme = null, bool LipSyncLate = false);
