using System.Globalization;
using LiveHost.Perf.Cli;
using LiveHost.Perf.WebRtc;

namespace LiveHost.Perf.AvSync;

/// <summary>What one <c>av-sync</c> run does.</summary>
public sealed record AvSyncOptions(double Minutes, int Width, int Height, bool Rtmp, string Chromium, string OutputFolder, string CommandLine,
    PlayoutDelaySetting PlayoutDelay)
{
    public const string Usage = """
          --minutes N        minutes measured (default 1; the goal is 60), after a 5 s warm-up
          --width N --height N   room main's format (default 1280x720)
          --rtmp on|off      also pull the room's RTMP output from a local nginx-rtmp with ffmpeg (default on)
          --playout-delay off|MIN/MAX   the WebRTC playout-delay extension (default: the host's settings)
          --chromium PATH    the browser (default /usr/bin/chromium; never downloaded)
          --out DIR          where the result files go (default perf/results)
        """;

    public static AvSyncOptions From(CommandArguments arguments)
    {
        var minutesText = arguments.Text("minutes", "1");
        if (!double.TryParse(minutesText, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) || minutes is < 0.25 or > 240)
            throw new ArgumentException($"--minutes must be 0.25 to 240 (was '{minutesText}')");
        var rtmp = arguments.Text("rtmp", "on");
        if (rtmp is not ("on" or "off")) throw new ArgumentException($"--rtmp must be on or off (was '{rtmp}')");
        var options = new AvSyncOptions(minutes,
            arguments.Number("width", 1280, 320, 3840), arguments.Number("height", 720, 240, 2160), rtmp == "on",
            arguments.Text("chromium", "/usr/bin/chromium"), arguments.Text("out", Path.Combine("perf", "results")),
            "av-sync " + arguments.Raw, PlayoutDelaySetting.Parse(arguments.Text("playout-delay", "")));
        arguments.ThrowIfUnknown();
        if (!File.Exists(options.Chromium)) throw new ArgumentException($"no browser at {options.Chromium}");
        return options;
    }
}
