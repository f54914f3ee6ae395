using LiveHost.Avatars.Packages;
using LiveHost.Avatars.Realistic.Tests.Packages;
using LiveHost.Inference;
using LiveHost.Inference.Models;
using LiveHost.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.Avatars.Realistic.Tests.LipSync;

/// <summary>
/// onnx-models/tools/convert_wav2lip.py on a checkpoint in exactly the format of Wav2Lip's released weights
/// (make_wav2lip_checkpoint.py: DataParallel "module." keys, Adam state, step and epoch; seeded random values), and the
/// result run by the server's own Wav2Lip path. Converted once for the class (a 36 M-parameter export).
/// </summary>
public sealed class Wav2LipConversionTests(Wav2LipConversionTests.Converted converted) : IClassFixture<Wav2LipConversionTests.Converted>
{
    private static readonly TimeSpan ToolLimit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task The_converted_model_run_by_the_hosts_Wav2Lip_path_matches_torch_on_the_probe_inputs()
    {
        using var host = CpuHost();
        var probe = Wav2LipProbeCheck.ReadProbe(converted.ProbePath);

        var result = await Wav2LipProbeCheck.RunAsync(host, converted.ModelPath, probe);

        Assert.Equal(3, result.Batch);
        Assert.True(result.MaxAbsDifference <= 1e-4, $"max |onnxruntime - torch| = {result.MaxAbsDifference}");
        // The probe items are distinct pictures, so a model ignoring its inputs could not pass item by item.
        Assert.True(MaxDifference(probe.Output.AsSpan(0, Wav2LipModel.OutputLength), probe.Output.AsSpan(Wav2LipModel.OutputLength, Wav2LipModel.OutputLength)) > 1e-3);
    }

    [Fact]
    public async Task A_package_references_the_converted_model_by_path_and_hash_and_the_host_loads_it_from_there()
    {
        using var packages = new TestPackages();
        var directory = packages.Write("converted", model: await File.ReadAllBytesAsync(converted.ModelPath));
        var package = AvatarPackageLoader.Load(directory, packages.Verifier(), new FakeTimeProvider(TestPackages.Now));
        using var host = CpuHost();

        var result = await Wav2LipProbeCheck.RunAsync(host, package.ModelPath(package.LipSyncModel!), Wav2LipProbeCheck.ReadProbe(converted.ProbePath));

        Assert.Equal("wav2lip-96", package.LipSyncModel!.Contract);
        Assert.True(result.Passed, $"max |onnxruntime - torch| = {result.MaxAbsDifference}");
    }

    [Fact]
    public async Task The_fp16_model_keeps_float32_inputs_and_outputs_and_stays_within_the_fp16_tolerance()
    {
        var half = Path.Combine(Path.GetDirectoryName(converted.ModelPath)!, "wav2lip-fp16.onnx");
        var (code, _, error) = await PythonTool.RunAsync(ToolLimit, "onnx_fp16.py", converted.ModelPath, half);
        Assert.True(code == 0, error);
        using var host = CpuHost();

        var result = await Wav2LipProbeCheck.RunAsync(host, half, Wav2LipProbeCheck.ReadProbe(converted.ProbePath) with { Tolerance = 2e-2 });

        Assert.True(new FileInfo(half).Length < new FileInfo(converted.ModelPath).Length * 0.6, "fp16 weights take half the bytes");
        Assert.True(result.Passed, $"max |onnxruntime fp16 - torch fp32| = {result.MaxAbsDifference}");
    }

    [Fact]
    public async Task A_checkpoint_with_other_keys_is_refused_naming_them_and_nothing_is_written()
    {
        using var directory = new TestDirectory();
        var checkpoint = directory.File("other.pth");
        var output = directory.File("other.onnx");
        // A bare state dict (the other accepted layout), but one weight renamed and one of the wrong shape, as a
        // checkpoint of another model would have.
        var (made, _, makeError) = await PythonTool.RunAsync(ToolLimit, "make_wav2lip_checkpoint.py", checkpoint, "--bare", "--seed", "3",
            "--rename", "output_block.1.weight=output_block.2.weight", "--reshape", "audio_encoder.0.conv_block.0.weight");
        Assert.True(made == 0, makeError);

        var (code, _, error) = await PythonTool.RunAsync(ToolLimit, "convert_wav2lip.py", "--checkpoint", checkpoint, "--out", output, "--ort-check", "none");

        Assert.Equal(2, code);
        Assert.Contains("missing keys: output_block.1.weight", error, StringComparison.Ordinal);
        Assert.Contains("unexpected keys: output_block.2.weight", error, StringComparison.Ordinal);
        Assert.Contains("wrong shapes: audio_encoder.0.conv_block.0.weight", error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".probe.json"));
    }

    [Fact]
    public async Task A_checkpoint_that_would_run_code_when_unpickled_is_refused_and_the_code_never_runs()
    {
        using var directory = new TestDirectory();
        var checkpoint = directory.File("crafted.pth");
        var marker = directory.File("code-ran");
        var output = directory.File("crafted.onnx");
        // A pickle may name any function to call while loading; this one names os.system (touching a marker file).
        const string Craft = """
            import os, sys, torch
            class Payload:
                def __reduce__(self):
                    return (os.system, ("touch " + sys.argv[2],))
            torch.save({"state_dict": {"module.output_block.1.bias": Payload()}, "global_step": 0}, sys.argv[1])
            """;
        var (made, _, makeError) = await PythonTool.RunCodeAsync(ToolLimit, Craft, checkpoint, marker);
        Assert.True(made == 0 && !File.Exists(marker), makeError);

        var (code, _, error) = await PythonTool.RunAsync(ToolLimit, "convert_wav2lip.py", "--checkpoint", checkpoint, "--out", output, "--ort-check", "none");

        Assert.Equal(2, code);
        Assert.Contains("refusing to load posix.system", error, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "the checkpoint's code ran");
        Assert.False(File.Exists(output));
    }

    private static OnnxModelHost CpuHost() =>
        new(Options.Create(new InferenceOptions { PreferGpu = false }), NullLoggerFactory.Instance);

    private static double MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double worst = 0;
        for (var i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        return worst;
    }

    /// <summary>A random checkpoint in the official format, converted by convert_wav2lip.py (fp32, no Python ORT check).</summary>
    public sealed class Converted : IAsyncLifetime
    {
        private readonly TestDirectory _directory = new();

        public string ModelPath => _directory.File("wav2lip.onnx");

        public string ProbePath => ModelPath + ".probe.json";

        public async Task InitializeAsync()
        {
            var checkpoint = _directory.File("wav2lip_gan.pth");
            var (made, _, makeError) = await PythonTool.RunAsync(ToolLimit, "make_wav2lip_checkpoint.py", checkpoint);
            Assert.True(made == 0, makeError);
            var (code, output, error) = await PythonTool.RunAsync(ToolLimit, "convert_wav2lip.py", "--checkpoint", checkpoint, "--out", ModelPath, "--ort-check", "none");
            Assert.True(code == 0, output + error);
            File.Delete(checkpoint);
        }

        public Task DisposeAsync()
        {
            _directory.Dispose();
            return Task.CompletedTask;
        }
    }
}
