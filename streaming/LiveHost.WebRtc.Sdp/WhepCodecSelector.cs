using System.Text;

namespace LiveHost.WebRtc.Sdp;

/// <summary>
/// Picks the payload types we can send from what a browser offered. We encode once per room, so we cannot
/// adapt to the viewer: video must be H.264 packetization-mode=1 Constrained Baseline, audio Opus 48000/2.
/// </summary>
internal static class WhepCodecSelector
{
    /// <summary>
    /// The best H.264 format in offer (preference) order: 42e01f exactly, then any 42e0xx, then any other
    /// Constrained Baseline form (e.g. 42c0xx). Returns -1 when none qualifies.
    /// </summary>
    public static int SelectH264(MediaDescription media)
    {
        int best = -1;
        int bestRank = 0;
        foreach (string format in media.Formats)
        {
            if (!SdpNumbers.TryParsePayloadType(format, out int pt) || media.FindRtpMap(pt) is not { } map
                || !map.EncodingName.Equals("H264", StringComparison.OrdinalIgnoreCase) || map.ClockRate != 90000)
            {
                continue;
            }

            string? fmtp = media.GetFmtp(pt);
            if (FmtpParameters.Get(fmtp, "packetization-mode") != "1"
                || !H264ProfileLevelId.TryParse(FmtpParameters.Get(fmtp, "profile-level-id"), out var profile)
                || !profile.IsConstrainedBaseline)
            {
                continue; // an absent profile-level-id means 42000a (Baseline, not Constrained): RFC 6184 §8.1
            }

            int rank = profile is { ProfileIdc: 0x42, ProfileIop: 0xE0, LevelIdc: 0x1F } ? 3
                : profile is { ProfileIdc: 0x42, ProfileIop: 0xE0 } ? 2
                : 1;
            if (rank > bestRank)
            {
                best = pt;
                bestRank = rank;
            }
        }

        return best;
    }

    /// <summary>The first opus/48000/2 format in offer order, or -1.</summary>
    public static int SelectOpus(MediaDescription media)
    {
        foreach (string format in media.Formats)
        {
            if (SdpNumbers.TryParsePayloadType(format, out int pt) && media.FindRtpMap(pt) is { } map
                && map.EncodingName.Equals("opus", StringComparison.OrdinalIgnoreCase)
                && map.ClockRate == 48000 && (map.Channels ?? 1) == 2)
            {
                return pt;
            }
        }

        return -1;
    }

    /// <summary>"96 VP8/90000, 102 H264/90000 [packetization-mode=1;profile-level-id=640c1f]": for error messages.</summary>
    public static string DescribeOffered(MediaDescription media)
    {
        var text = new StringBuilder();
        foreach (string format in media.Formats)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(format);
            if (SdpNumbers.TryParsePayloadType(format, out int pt) && media.FindRtpMap(pt) is { } map)
            {
                text.Append(' ').Append(map);
                if (media.GetFmtp(pt) is { } fmtp)
                {
                    text.Append(" [").Append(fmtp).Append(']');
                }
            }

            if (text.Length > 2000)
            {
                text.Append(", ...");
                break;
            }
        }

        return text.Length == 0 ? "nothing" : text.ToString();
    }
}
