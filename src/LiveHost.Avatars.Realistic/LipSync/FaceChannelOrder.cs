namespace LiveHost.Avatars.Realistic.LipSync;

/// <summary>The order of the colour planes a lip-sync model reads and writes.</summary>
public enum FaceChannelOrder
{
    /// <summary>Blue, green, red: Wav2Lip's own inference feeds it OpenCV frames, so its released weights expect BGR.</summary>
    Bgr,

    /// <summary>Red, green, blue: for models trained on RGB images.</summary>
    Rgb,
}
