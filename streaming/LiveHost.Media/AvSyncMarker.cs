namespace LiveHost.Media;

/// <summary>
/// The audio half of the A/V sync measurement (test-only, <c>Rooms:{room}:AvSyncMarker</c>): a short tone burst added
/// to the room's audio at the first sample of every <see cref="PeriodFrames"/>th tick, the tick whose video frame
/// carries the matching frame stamp. Tick n's audio starts at the same media instant as frame n, so a player that keeps
/// sound and picture in sync starts the burst as it shows that frame; the gap between the two is the A/V offset.
/// <para>
/// The tone is at <see cref="FrequencyHz"/>: above the 11 kHz the 22 kHz speech voices reach, below what 64 kbit/s
/// Opus and 128 kbit/s AAC cut, so a narrow-band detector finds it through speech. <see cref="DurationSamples"/> long
/// with raised-cosine ramps of <see cref="RampSamples"/> (no click), at <see cref="Amplitude"/> of full scale, added
/// to the speech and clipped.
/// </para>
/// </summary>
public static class AvSyncMarker
{
    /// <summary>
    /// One burst every 50 frames: every 2 s at 25 fps. A reader pairs each marked frame with the nearest burst within
    /// half a period, so offsets up to ±1 s are read unambiguously (an overloaded machine reached -500 ms).
    /// </summary>
    public const int PeriodFrames = 50;

    public const double FrequencyHz = 14_000;

    /// <summary>20 ms at 48 kHz.</summary>
    public const int DurationSamples = 960;

    /// <summary>1 ms at 48 kHz.</summary>
    public const int RampSamples = 48;

    public const double Amplitude = 0.3;

    /// <summary>Whether tick <paramref name="frameIndex"/> starts with a burst.</summary>
    public static bool IsMarked(long frameIndex) => frameIndex % PeriodFrames == 0;

    /// <summary>Adds the burst to the start of <paramref name="samples"/> (one tick's mono audio) when the tick is marked.</summary>
    public static void MixInto(long frameIndex, Span<short> samples)
    {
        if (!IsMarked(frameIndex)) return;
        var count = Math.Min(DurationSamples, samples.Length);
        for (var i = 0; i < count; i++)
        {
            var ramp = i < RampSamples ? Ramp(i) : i >= DurationSamples - RampSamples ? Ramp(DurationSamples - 1 - i) : 1.0;
            var tone = Amplitude * short.MaxValue * ramp * Math.Sin(2 * Math.PI * FrequencyHz * i / MediaFormat.AudioSampleRate);
            samples[i] = (short)Math.Clamp(samples[i] + tone, short.MinValue, short.MaxValue);
        }
    }

    private static double Ramp(int i) => 0.5 - 0.5 * Math.Cos(Math.PI * (i + 0.5) / RampSamples);
}
