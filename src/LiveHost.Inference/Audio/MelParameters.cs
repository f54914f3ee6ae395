namespace LiveHost.Inference.Audio;

/// <summary>
/// Wav2Lip's audio hyper-parameters (hparams.py). The viseme model was trained on the same front end, so both models
/// share them. onnx-models/tools/melspec.py is the reference implementation these constants must agree with.
/// </summary>
public static class MelParameters
{
    public const int SampleRate = 16000;
    public const int FftSize = 800;
    public const int HopLength = 200;
    public const int Bands = 80;
    public const double FminHz = 55;
    public const double FmaxHz = 7600;
    public const double Preemphasis = 0.97;
    public const double MinLevelDb = -100;
    public const double RefLevelDb = 20;
    public const double MaxAbsValue = 4;

    /// <summary>Mel columns per second of audio: 16000 / 200.</summary>
    public const int ColumnsPerSecond = SampleRate / HopLength;

    /// <summary>Columns in one model window (200 ms): both models take [1, 80, 16].</summary>
    public const int WindowColumns = 16;

    /// <summary>Floats in one model window, [80, 16] mel-bin major.</summary>
    public const int WindowLength = Bands * WindowColumns;

    /// <summary>The value silence (and padding) maps to: the bottom of the normalised range.</summary>
    public const float Floor = -(float)MaxAbsValue;
}
