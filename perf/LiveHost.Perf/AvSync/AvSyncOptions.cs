using System.Globalization;
using LiveHost.Perf.Cli;
using LiveHost.Perf.WebRtc;

namespace LiveHost.Perf.AvSync;

/// <summary>What one <c>av-sync</c> run does.</summary>
public sealed record AvSyncOptions(double Minutes, int Width, int Height, bool Rtmp, string Chromium, string OutputFolder, string CommandLine,
    PlayoutDelaySetting PlayoutDelay, double? AudioLeadMs = null, bool? PaceAudio = null, IReadOnlyList<KeyValuePair<string, string>>? Settings = null)
{
    public const string Usage = """
          --minutes N        minutes measured (default 1; the goal is 60), after a 5 s warm-up
          --width N --height N   room main's format (default 1280x720)
          --rtmp on|off      also pull the room's RTMP output from a local nginx-rtmp with ffmpeg (default on)
          --playout-delay off|MIN/MAX   the WebRTC playout-delay extension (default: the host's settings)
          --audio-lead MS    Engine:AudioLeadMilliseconds, audio placed and sent ahead of the picture (default: the host's)
          --pace-audio on|off  WebRtc:PaceAudio, each 20 ms Opus packet sent at its own time (default: the host's)
          --setting K=V[,K=V]  any other host settings for the run (e.g. WebRtc:SendAudioWithVideo=false), for A/B runs
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
        var leadText = arguments.Text("audio-lead", "");
        double? lead = null;
        if (leadText.Length > 0)
        {
            if (!double.TryParse(leadText, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) || ms is < 0 or > 200)
                throw new ArgumentException($"--audio-lead must be 0 to 200 ms (was '{leadText}')");
            lead = ms;
        }
        var pace = arguments.Text("pace-audio", "");
        if (pace is not ("" or "on" or "off")) throw new ArgumentException($"--pace-audio must be on or off (was '{pace}')");
        var settings = new List<KeyValuePair<string, string>>();
        foreach (var pair in arguments.Text("setting", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) throw new ArgumentException($"--setting takes KEY=VALUE pairs, comma-separated (was '{pair}')");
            settings.Add(new(pair[..equals], pair[(equals + 1)..]));
        }
        options = options with { AudioLeadMs = lead, PaceAudio = pace.Length == 0 ? null : pace == "on", Settings = settings };
        arguments.ThrowIfUnknown();
        if (!File.Exists(options.Chromium)) throw new ArgumentException($"no browser at {options.Chromium}");
        return options;
    }
}
