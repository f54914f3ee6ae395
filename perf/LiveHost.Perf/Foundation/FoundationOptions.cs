using LiveHost.Perf.Cli;

namespace LiveHost.Perf.Foundation;

/// <summary>What one <c>foundation</c> run does; defaults are the product's default room.</summary>
public sealed record FoundationOptions(int Lines, int Rooms, int Width, int Height, int Fps, string OutputFolder, int Seed, string CommandLine, string Avatar = FoundationOptions.Cartoon, string VideoEncoder = FoundationOptions.FfmpegVideo, int AudioLeadMilliseconds = -1)
{
    /// <summary>The Engine:AudioLeadMilliseconds the rooms run with: <see cref="AudioLeadMilliseconds"/>, or the product's default when -1.</summary>
    public double EngineAudioLead => AudioLeadMilliseconds < 0 ? new LiveHost.Engine.Options.EngineOptions().AudioLeadMilliseconds : AudioLeadMilliseconds;

    public const string Cartoon = "cartoon";
    public const string Realistic = "realistic";
    public const string FfmpegVideo = "ffmpeg";
    public const string InProcessVideo = "libx264";

    public const string Usage = """
          --lines N     lines per room, at least 50 (default 60)
          --rooms N     rooms run at once, each with its own engine and encoder (default 1)
          --width N --height N --fps 25|30   room format (default 1280x720 at 25)
          --out DIR     where the result files go (default perf/results)
          --seed N      line order and timing jitter (default 1)
          --avatar cartoon|realistic   the presenter (default cartoon); realistic: a package built from the labelled
                        synthetic face video at the room's width, lip-synced by the analytic Wav2Lip fixture on the CPU
          --video-encoder ffmpeg|libx264   where the video is coded (default ffmpeg: an ffmpeg process, so /proc splits
                        its CPU; libx264: in process with the product's default settings, as the host runs it)
          --audio-lead MS   Engine:AudioLeadMilliseconds, 0 to 200 (default: the product's)
        """;

    public static FoundationOptions From(CommandArguments arguments)
    {
        var options = new FoundationOptions(
            Lines: arguments.Number("lines", 60, 50, 10_000),
            Rooms: arguments.Number("rooms", 1, 1, 64),
            Width: arguments.Number("width", 1280, 160, 3840),
            Height: arguments.Number("height", 720, 120, 2160),
            Fps: arguments.Number("fps", 25, 25, 30),
            OutputFolder: arguments.Text("out", Path.Combine("perf", "results")),
            Seed: arguments.Number("seed", 1, 0, int.MaxValue),
            CommandLine: "foundation " + arguments.Raw,
            Avatar: arguments.Text("avatar", Cartoon),
            VideoEncoder: arguments.Text("video-encoder", FfmpegVideo),
            AudioLeadMilliseconds: arguments.Number("audio-lead", -1, 0, 200));
        arguments.ThrowIfUnknown();
        if (options.Fps is not (25 or 30)) throw new ArgumentException("--fps must be 25 or 30");
        if (options.Avatar is not (Cartoon or Realistic)) throw new ArgumentException("--avatar must be cartoon or realistic");
        if (options.VideoEncoder is not (FfmpegVideo or InProcessVideo)) throw new ArgumentException("--video-encoder must be ffmpeg or libx264");
        return options;
    }
}
