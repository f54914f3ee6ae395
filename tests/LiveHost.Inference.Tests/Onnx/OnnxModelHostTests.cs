using LiveHost.Inference.Models;
using LiveHost.Inference.Onnx;
using Microsoft.Extensions.Options;

namespace LiveHost.Inference.Tests.Onnx;

public sealed class OnnxModelHostTests
{
    [Fact]
    public void Provider_is_CPU_on_a_machine_without_CUDA_and_the_choice_is_logged()
    {
        var logs = new RecordingLoggerFactory();
        using var host = TestModels.Host(8, 2, logs);

        Assert.Equal(OnnxModelHost.Cpu, host.ExecutionProvider);
        Assert.Contains(logs.Messages, m => m.Contains("runs on CPU", StringComparison.Ordinal));
    }

    [Fact]
    public void One_session_per_model_file_is_shared()
    {
        using var host = TestModels.Host(8, 2);
        var a = host.GetSession(TestModels.Viseme);
        var b = host.GetSession(Path.Combine(Path.GetDirectoryName(TestModels.Viseme)!, ".", "test_viseme.onnx"));
        var other = host.GetSession(TestModels.Wav2Lip);

        Assert.Same(a, b);
        Assert.NotSame(a, other);
        Assert.Same(new VisemeModel(host, TestModels.Viseme).Runner, new VisemeModel(host, TestModels.Viseme).Runner);
    }

    [Fact]
    public void Model_with_the_wrong_face_shape_is_refused_naming_the_mismatch()
    {
        using var host = TestModels.Host(8, 2);

        var e = Assert.Throws<ModelContractException>(() => new Wav2LipModel(host, TestModels.Wav2LipBadShape));

        Assert.Contains("input 'face' has shape [?,6,128,128], expected face [B,6,96,96]", e.Message, StringComparison.Ordinal);
        Assert.Contains("test_wav2lip_bad_shape.onnx", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'mel'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Viseme_model_is_refused_as_a_Wav2Lip_model()
    {
        using var host = TestModels.Host(8, 2);

        var e = Assert.Throws<ModelContractException>(() => new Wav2LipModel(host, TestModels.Viseme));

        Assert.Contains("no input named 'face' (the model's inputs: mel)", e.Message, StringComparison.Ordinal);
        Assert.Contains("output 'logits' has shape [?,15], expected (single output) [B,3,96,96]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_model_file_is_reported_by_path()
    {
        using var host = TestModels.Host(8, 2);
        var e = Assert.Throws<FileNotFoundException>(() => host.GetSession("/nonexistent/model.onnx"));
        Assert.Contains("/nonexistent/model.onnx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_are_refused_with_one_message_each()
    {
        var options = new InferenceOptions { MaxBatch = 0, BatchWindowMs = -1, DeviceId = -2, IntraOpThreads = -1 };
        Assert.Equal(4, options.Validate().Count);
        var e = Assert.Throws<OptionsValidationException>(() => new OnnxModelHost(Options.Create(options), new RecordingLoggerFactory()));
        Assert.Contains("Inference:MaxBatch must be 1..256; got 0.", e.Failures);
        Assert.Empty(new InferenceOptions().Validate());
    }
}
