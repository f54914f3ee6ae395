namespace LiveHost.Inference.Audio;

/// <summary>Where a model's 16-column (200 ms) mel window sits relative to the video frame it drives.</summary>
public enum MelWindowAlignment
{
    /// <summary>Wav2Lip: the first column is centred on the frame's time, the window looks 200 ms ahead.</summary>
    StartsAtFrame,

    /// <summary>The viseme model: columns start 8 columns (100 ms) before the frame, so the frame sits in the middle.</summary>
    CenteredOnFrame,
}
