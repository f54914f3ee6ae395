using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LiveHost.Perf.Measurement;

/// <summary>What a result was measured on, for the record next to the numbers.</summary>
public sealed record MachineInfo(string CpuModel, int LogicalCores, double MemoryGiB, string OperatingSystem, string Kernel, string DotNet, string Ffmpeg, string EspeakNg)
{
    public static async Task<MachineInfo> CollectAsync(CancellationToken cancellationToken)
    {
        var lscpu = await RunAsync("lscpu", "", cancellationToken);
        var model = lscpu.Split('\n').Select(l => l.Split(':', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim() == "Model name")?[1].Trim() ?? "unknown";
        var memKb = File.ReadLines("/proc/meminfo").Select(l => l.Split(':', 2)).Where(p => p[0] == "MemTotal")
            .Select(p => double.Parse(p[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription
            : RuntimeInformation.OSDescription;
        var ffmpeg = (await RunAsync("ffmpeg", "-hide_banner -version", cancellationToken)).Split('\n')[0].Trim();
        var espeak = (await RunAsync("espeak-ng", "--version", cancellationToken)).Split('\n')[0].Trim();
        return new MachineInfo(model, Environment.ProcessorCount, Math.Round(memKb / 1024 / 1024, 1), os,
            RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, ffmpeg, espeak);
    }

    private static async Task<string> RunAsync(string file, string arguments, CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null) return "unknown";
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not found";
        }
    }
}
