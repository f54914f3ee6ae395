using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace LiveHost.Avatars.Realistic.FaceDetection;

/// <summary>
/// Finds faces with MediaPipe's BlazeFace front model (onnx-models/blazeface, see its README for the contract).
/// The image is letterboxed into the 128x128 input (aspect kept, black bars, as MediaPipe does), scaled to [-1,1]
/// RGB NHWC, run on the CPU, decoded by <see cref="BlazeFaceDecoder"/> and mapped back to image pixels. Used
/// offline by the avatar builder; one instance is not thread-safe (it reuses its buffers).
/// </summary>
public sealed class BlazeFaceDetector : IDisposable
{
    public const string InputName = "input:0";
    private static readonly string[] OutputNames = ["Identity:0", "Identity_2:0", "Identity_1:0", "Identity_3:0"];
    private const int Size = BlazeFaceAnchors.InputSize;

    private readonly InferenceSession _session;
    private readonly float[] _input = new float[Size * Size * 3];
    private readonly SKBitmap _letterbox = new(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul));
    private readonly SKCanvas _canvas;
    private readonly SKPaint _paint = new() { IsAntialias = true };

    public BlazeFaceDetector(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        if (!File.Exists(modelPath)) throw new FileNotFoundException("BlazeFace model not found.", modelPath);
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(modelPath, options);
        var input = _session.InputMetadata[InputName].Dimensions;
        if (input.Length != 4 || input[1] != Size || input[2] != Size || input[3] != 3)
        {
            _session.Dispose();
            throw new InvalidOperationException($"{modelPath} is not BlazeFace front 128x128 (input {string.Join('x', input)}).");
        }
        _canvas = new SKCanvas(_letterbox);
    }

    /// <summary>The default model location relative to the repository root.</summary>
    public static string DefaultModelPath(string repositoryRoot) =>
        Path.Combine(repositoryRoot, "onnx-models", "blazeface", "face_detection_front_128x128_barracuda.onnx");

    /// <summary>Faces in <paramref name="image"/>, best first, in image pixels.</summary>
    public List<FaceDetection> Detect(SKBitmap image, float threshold = BlazeFaceDecoder.DefaultScoreThreshold)
    {
        ArgumentNullException.ThrowIfNull(image);
        var scale = Math.Min((float)Size / image.Width, (float)Size / image.Height);
        var drawnWidth = image.Width * scale;
        var drawnHeight = image.Height * scale;
        var padX = (Size - drawnWidth) / 2;
        var padY = (Size - drawnHeight) / 2;

        _canvas.Clear(SKColors.Black);
        using (var source = SKImage.FromBitmap(image))
        {
            _canvas.DrawImage(source, new SKRect(padX, padY, padX + drawnWidth, padY + drawnHeight),
                new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), _paint);
        }
        _canvas.Flush();
        FillInput(_letterbox.GetPixelSpan(), _input);

        using var inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, Size, Size, 3]);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [InputName], [inputValue], OutputNames);
        var faces = BlazeFaceDecoder.Decode(
            outputs[0].GetTensorDataAsSpan<float>(), outputs[1].GetTensorDataAsSpan<float>(),
            outputs[2].GetTensorDataAsSpan<float>(), outputs[3].GetTensorDataAsSpan<float>(), threshold);

        // Input fractions -> letterbox pixels -> image pixels.
        for (var i = 0; i < faces.Count; i++)
        {
            faces[i] = faces[i].Map(Size / scale, -padX / scale, Size / scale, -padY / scale);
        }
        return faces;
    }

    /// <summary>RGBA bytes (opaque) to NHWC floats in [-1,1].</summary>
    internal static void FillInput(ReadOnlySpan<byte> rgba, Span<float> input)
    {
        for (int p = 0, o = 0; o < input.Length; p += 4, o += 3)
        {
            input[o] = rgba[p] * (2f / 255f) - 1f;
            input[o + 1] = rgba[p + 1] * (2f / 255f) - 1f;
            input[o + 2] = rgba[p + 2] * (2f / 255f) - 1f;
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _canvas.Dispose();
        _letterbox.Dispose();
        _paint.Dispose();
    }
}
