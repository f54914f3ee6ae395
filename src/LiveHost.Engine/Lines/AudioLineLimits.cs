using LiveHost.Media;

namespace LiveHost.Engine.Lines;

/// <summary>How much recorded audio one line may hold: two minutes, about 11 MiB of 48 kHz PCM on disk.</summary>
public static class AudioLineLimits
{
    public const int MaxSeconds = 120;

    public const int MaxSamples = MaxSeconds * MediaFormat.AudioSampleRate;
}
