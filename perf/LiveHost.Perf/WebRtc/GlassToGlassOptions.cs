using LiveHost.Perf.Cli;

namespace LiveHost.Perf.WebRtc;

/// <summary>What one <c>glass-to-glass</c> run does.</summary>
public sealed record GlassToGlassOptions(int Seconds, int WarmUpSeconds, int Width, int Height, string Chromium, string OutputFolder, string CommandLine,
    PlayoutDelaySetting PlayoutDelay)
{
    public const string Usage = """
          --seconds N        measured seconds of playback (default 30)
          --warmup N         seconds played after the first frame before measuring (default 3)
          --width N --height N   room main's format (default 1280x720)
          --chromium PATH    the browser (default /usr/bin/chromium; never downloaded)
          --out DIR          where the result files go (default perf/results)
          --playout-delay off|MIN/MAX   the playout-delay RTP extension: not sent, or these bounds in ms (default: the host's settings)
        """;

    public static GlassToGlassOptions From(CommandArguments arguments)
    {
        var options = new GlassToGlassOptions(
            Seconds: arguments.Number("seconds", 30, 5, 3600),
            WarmUpSeconds: arguments.Number("warmup", 3, 0, 60),
            Width: arguments.Number("width", 1280, 320, 3840),
            Height: arguments.Number("height", 720, 240, 2160),
            Chromium: arguments.Text("chromium", "/usr/bin/chromium"),
            OutputFolder: arguments.Text("out", Path.Combine("perf", "results")),
            CommandLine: "glass-to-glass " + arguments.Raw,
            PlayoutDelay: PlayoutDelaySetting.Parse(arguments.Text("playout-delay", "")));
        arguments.ThrowIfUnknown();
        if (!File.Exists(options.Chromium)) throw new ArgumentException($"no browser at {options.Chromium}");
        return options;
    }
}
