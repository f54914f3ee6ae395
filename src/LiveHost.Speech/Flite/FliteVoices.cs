namespace LiveHost.Speech.Flite;

/// <summary>The Flite voices LiveHost offers: its id, the library that holds it and that library's register function.</summary>
/// <param name="Id">What clients send as <c>voice</c>.</param>
/// <param name="Library">Debian's libflite1 file name.</param>
/// <param name="Register">The exported <c>cst_voice *register_...(const char *voxdir)</c>.</param>
/// <param name="Gain">Applied to the samples so every voice speaks at about the same level.</param>
public sealed record FliteVoice(string Id, string Library, string Register, double Gain = 1.0)
{
    /// <summary>
    /// CMU ARCTIC voices: slt (US female) and awb (Scottish male), rms (US male), all clustergen at 16 kHz; kal is
    /// the older diphone voice, in its 16 kHz build (kal16) rather than the 8 kHz one. kal speaks about 8 dB below the
    /// others (RMS about 1,200 against 3,000 on the same line), so it is raised by 2.5.
    /// </summary>
    public static IReadOnlyList<FliteVoice> All { get; } =
    [
        new("flite-slt", "libflite_cmu_us_slt.so.1", "register_cmu_us_slt"),
        new("flite-awb", "libflite_cmu_us_awb.so.1", "register_cmu_us_awb"),
        new("flite-rms", "libflite_cmu_us_rms.so.1", "register_cmu_us_rms"),
        new("flite-kal", "libflite_cmu_us_kal16.so.1", "register_cmu_us_kal16", Gain: 2.5),
    ];
}
