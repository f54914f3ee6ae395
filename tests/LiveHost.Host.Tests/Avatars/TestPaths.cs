namespace LiveHost.Host.Tests.Avatars;

/// <summary>Committed models the avatar tests use, found from the repository root.</summary>
public static class TestPaths
{
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LiveHost.sln"))) directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException("LiveHost.sln not found above the test binaries.");
        }
    }

    /// <summary>The trained viseme model (onnx-models/viseme/viseme-v1.onnx).</summary>
    public static string VisemeModel => Path.Combine(RepositoryRoot, "onnx-models", "viseme", "viseme-v1.onnx");

    /// <summary>
    /// The analytic Wav2Lip-contract TEST FIXTURE: the reference crop with rows 60..83 scaled by 0.5 + sigmoid(mean of
    /// the mel window), so louder audio makes the mouth rows brighter (tests/LiveHost.Inference.Tests/Fixtures).
    /// </summary>
    public static string Wav2LipFixture => Path.Combine(RepositoryRoot, "tests", "LiveHost.Inference.Tests", "Fixtures", "test_wav2lip.onnx");

    public static string BlazeFace => Path.Combine(RepositoryRoot, "onnx-models", "blazeface", "face_detection_front_128x128_barracuda.onnx");
}
