using System.Diagnostics;

namespace LiveHost.Inference.Tests;

/// <summary>
/// The Python tools in onnx-models/tools say what they need: started without a module, each names it and the command
/// that installs it (scripts/install-deps.sh --models) and exits 3, instead of a ModuleNotFoundError traceback.
/// </summary>
public sealed class ModelToolDependencyTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task A_missing_module_is_named_with_the_command_that_installs_it()
    {
        var (code, error) = await RunAsync("-c", "import python_deps; python_deps.require('livehost_no_such_module', 'sys')");

        Assert.Equal(3, code);
        Assert.Contains("missing Python modules: livehost_no_such_module (for", error, StringComparison.Ordinal);
        Assert.Contains("scripts/install-deps.sh --models", error, StringComparison.Ordinal);
        Assert.Contains("sudo apt-get install -y python3-livehost_no_such_module", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Traceback", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train_viseme.py", "numpy,torch,onnx")]
    [InlineData("wav2lip_arch.py", "numpy,torch")]
    [InlineData("make_test_models.py", "numpy,onnx")]
    [InlineData("melspec.py", "numpy")]
    [InlineData("convert_wav2lip.py", "numpy,torch,onnx")]
    [InlineData("make_wav2lip_checkpoint.py", "numpy,torch")]
    [InlineData("onnx_fp16.py", "numpy,onnx")]
    public async Task Each_tool_checks_its_modules_before_it_imports_them(string tool, string modules)
    {
        var (missingCode, missingText) = await RunAsync("-c", $"import python_deps; print(','.join(python_deps.missing(*'{modules}'.split(','))))");
        Assert.Equal(0, missingCode);
        var missing = missingText.Trim();

        var (code, error) = await RunAsync(Path.Combine(ToolsDirectory, tool), "--help");

        if (missing.Length == 0)
        {
            Assert.DoesNotContain("missing Python modules", error, StringComparison.Ordinal);
            return;
        }
        // This machine lacks some: the tool names exactly those, before any import fails.
        Assert.Equal(3, code);
        Assert.Contains($"missing Python modules: {missing.Replace(",", ", ", StringComparison.Ordinal)} (for", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Traceback", error, StringComparison.Ordinal);
    }

    private static string ToolsDirectory
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LiveHost.sln"))) directory = directory.Parent;
            return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("LiveHost.sln not found"), "onnx-models", "tools");
        }
    }

    /// <summary>Runs /usr/bin/python3 in the tools folder; returns the exit code and stdout + stderr.</summary>
    private static async Task<(int Code, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = ToolsDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }
}
