using FFMpegCore;
using FFMpegCore.Enums;

namespace LiveHost.Encoding.Ffmpeg;

/// <summary>
/// Finds the ffmpeg binary and builds the <see cref="FFOptions"/> passed to every FFMpegCore call, so nothing here
/// reads or writes FFMpegCore's static <see cref="GlobalFFOptions"/>.
/// </summary>
public static class FfmpegLocator
{
    /// <summary>The folder holding <c>ffmpeg</c>: <paramref name="configuredFolder"/> when given, else the first match on PATH.</summary>
    /// <exception cref="FileNotFoundException">ffmpeg is in neither place.</exception>
    public static string FindFolder(string? configuredFolder)
    {
        var name = OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg";
        if (!string.IsNullOrEmpty(configuredFolder))
        {
            if (File.Exists(Path.Combine(configuredFolder, name))) return configuredFolder;
            throw new FileNotFoundException($"no {name} in the configured folder {configuredFolder}", Path.Combine(configuredFolder, name));
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (File.Exists(Path.Combine(folder, name))) return folder;
        }
        throw new FileNotFoundException($"{name} was not found on PATH ({path}); install ffmpeg or set EncoderOptions.FfmpegFolder", name);
    }

    public static FFOptions CreateOptions(string binaryFolder) => new()
    {
        BinaryFolder = binaryFolder,
        LogLevel = FFMpegLogLevel.Warning,
        UseCache = true,
    };
}
