using LiveHost.Inference.Onnx;
using Microsoft.Extensions.Options;

namespace LiveHost.Inference.Tests.Onnx;

/// <summary>The fixture models written by onnx-models/tools/make_test_models.py, and what they should compute.</summary>
internal static class TestModels
{
    public static string Wav2Lip => Fixtures.PathOf("test_wav2lip.onnx");
    public static string Viseme => Fixtures.PathOf("test_viseme.onnx");
    public static string Wav2LipBadShape => Fixtures.PathOf("test_wav2lip_bad_shape.onnx");

    public static OnnxModelHost Host(int maxBatch, int windowMs, RecordingLoggerFactory? logs = null) =>
        new(Options.Create(new InferenceOptions { MaxBatch = maxBatch, BatchWindowMs = windowMs, IntraOpThreads = 1 }),
            logs ?? new RecordingLoggerFactory());

    public static void Fill(Span<float> destination, int seed, float min, float max)
    {
        var rng = new Random(seed);
        for (var i = 0; i < destination.Length; i++) destination[i] = min + ((max - min) * rng.NextSingle());
    }

    /// <summary>test_wav2lip.onnx's formula: reference RGB with rows 60..83 scaled by 0.5 + sigmoid(mean(mel)), clipped.</summary>
    public static void ExpectedWav2Lip(ReadOnlySpan<float> mel, ReadOnlySpan<float> face, Span<float> output)
    {
        double sum = 0;
        foreach (var v in mel) sum += v;
        var scale = 0.5f + (1f / (1f + MathF.Exp(-(float)(sum / mel.Length))));
        const int size = 96;
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < size; y++)
            {
                var factor = y is >= 60 and < 84 ? scale : 1f;
                for (var x = 0; x < size; x++)
                {
                    var i = (((c + 3) * size) + y) * size + x;
                    output[((c * size) + y) * size + x] = Math.Clamp(face[i] * factor, 0f, 1f);
                }
            }
        }
    }
}
