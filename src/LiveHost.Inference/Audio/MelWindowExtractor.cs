using static LiveHost.Inference.Audio.MelParameters;
using LiveHost.Speech;

namespace LiveHost.Inference.Audio;

/// <summary>
/// The streaming side of the front end: the [80, 16] mel window one video frame needs, cut straight out of the
/// 48 kHz audio around the frame (AvatarFrame.Audio), resampled to 16 kHz inside. Audio the caller does not have
/// counts as silence, which maps to -4 like the models' own padding. Columns are centred on exact 48 kHz sample
/// positions, so inside a stream they equal the offline spectrogram of the resampled utterance (melspec.py), except
/// that the offline one mirrors the utterance's first and last 25 ms where this sees zeros.
/// </summary>
/// <remarks>Owns its buffers (one per room); allocates nothing per call.</remarks>
public sealed class MelWindowExtractor
{
    // 16 kHz samples the 16 columns touch: 400 either side of the outer centres, plus one for the preemphasis.
    private const int LeadIn = (FftSize / 2) + 1;
    private const int Span16k = LeadIn + ((WindowColumns - 1) * HopLength) + (FftSize / 2);

    /// <summary>48 kHz samples between two mel columns.</summary>
    public const int HopLength48k = HopLength * Resampler48kTo16k.Factor;

    private readonly Resampler48kTo16k _resampler;
    private readonly MelSpectrogram _mel = new();
    private readonly float[] _signal16k = new float[Span16k];

    public MelWindowExtractor(Resampler48kTo16k resampler) => _resampler = resampler;

    public MelWindowExtractor() : this(new Resampler48kTo16k()) { }

    /// <summary>
    /// Writes the 16 columns whose centres are 48 kHz samples firstColumnCenter + 600 j of <paramref name="audio48k"/>
    /// into <paramref name="destination"/> ([80, 16] mel-bin major, <see cref="MelParameters.WindowLength"/> floats).
    /// </summary>
    public void ComputeColumns(ReadOnlySpan<float> audio48k, int firstColumnCenter48k, Span<float> destination)
    {
        if (destination.Length < WindowLength)
            throw new ArgumentException($"Destination needs {WindowLength} floats ([80, 16]); got {destination.Length}.", nameof(destination));
        var firstSample = firstColumnCenter48k - (LeadIn * Resampler48kTo16k.Factor);
        _resampler.Resample(audio48k, firstSample, _signal16k);
        _mel.ComputeColumns(_signal16k, LeadIn, WindowColumns, reflectEdges: false, destination, WindowColumns);
    }

    /// <summary>
    /// The window for a video frame starting at 48 kHz sample <paramref name="frameSample48k"/> of
    /// <paramref name="audio48k"/> (AvatarFrame.AudioContextSamples for the avatar's buffer), placed as the model wants.
    /// </summary>
    public void ComputeForFrame(
        ReadOnlySpan<float> audio48k, int frameSample48k, MelWindowAlignment alignment, Span<float> destination)
    {
        var first = alignment == MelWindowAlignment.CenteredOnFrame
            ? frameSample48k - (WindowColumns / 2 * HopLength48k)
            : frameSample48k;
        ComputeColumns(audio48k, first, destination);
    }
}
