using System.Globalization;
using LiveHost.Perf.Cli;
using LiveHost.WebRtc.Srtp;

namespace LiveHost.Perf.WebRtc;

/// <summary>What one <c>webrtc-fanout</c> run does.</summary>
public sealed record FanoutOptions(
    IReadOnlyList<int> Viewers, int Seconds, int WarmUpSeconds, int RecordSeconds, SrtpProfile Profile, int QueuePackets, string OutputFolder, string CommandLine,
    int Batch = LiveHost.WebRtc.Transport.DatagramBatch.MaxDatagrams, bool Segmentation = true)
{
    public const string Usage = """
          --viewers LIST     viewer counts to measure, comma-separated (default 1,10,50,100,250,500); 0 (the baseline) always runs first
          --seconds N        measured seconds per viewer count (default 10)
          --warmup N         seconds each viewer count runs before it is measured (default 3)
          --record N         seconds of the real room's packet stream to record and loop (default 12)
          --profile gcm|cm   SRTP profile: AEAD_AES_128_GCM (what Chromium gets from LiveHost) or AES128_CM_HMAC_SHA1_80 (default gcm)
          --batch N          datagrams per system call at most, 1..64 (default 64; 1 sends each packet alone, as before batching)
          --gso on|off       cut runs of equal packets in the kernel (UDP_SEGMENT) (default on)
          --out DIR          where the result files go (default perf/results)
        """;

    public static FanoutOptions From(CommandArguments arguments)
    {
        var viewers = arguments.Text("viewers", "1,10,50,100,250,500")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 5000
                ? n : throw new ArgumentException($"--viewers takes counts from 0 to 5000, not '{v}'"))
            .Where(n => n > 0).Distinct().Order().ToArray();
        var profile = arguments.Text("profile", "gcm") switch
        {
            "gcm" => SrtpProfile.AeadAes128Gcm,
            "cm" => SrtpProfile.Aes128CmHmacSha1_80,
            var p => throw new ArgumentException($"--profile must be gcm or cm, not '{p}'"),
        };
        var options = new FanoutOptions(
            Viewers: [0, .. viewers],
            Seconds: arguments.Number("seconds", 10, 2, 600),
            WarmUpSeconds: arguments.Number("warmup", 3, 1, 60),
            RecordSeconds: arguments.Number("record", 12, 4, 120),
            Profile: profile,
            QueuePackets: new LiveHost.WebRtc.WebRtcOptions().ViewerQueuePackets,
            OutputFolder: arguments.Text("out", Path.Combine("perf", "results")),
            CommandLine: "webrtc-fanout " + arguments.Raw,
            Batch: arguments.Number("batch", LiveHost.WebRtc.Transport.DatagramBatch.MaxDatagrams, 1, LiveHost.WebRtc.Transport.DatagramBatch.MaxDatagrams),
            Segmentation: arguments.Text("gso", "on") switch
            {
                "on" => true,
                "off" => false,
                var g => throw new ArgumentException($"--gso must be on or off, not '{g}'"),
            });
        arguments.ThrowIfUnknown();
        return options;
    }
}
