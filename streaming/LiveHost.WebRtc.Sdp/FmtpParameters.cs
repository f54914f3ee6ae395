using System.Globalization;

namespace LiveHost.WebRtc.Sdp;

/// <summary>Reads "key=value;key=value" a=fmtp parameter lists (RFC 8866 §6.15), keys case-insensitive.</summary>
internal static class FmtpParameters
{
    public static string? Get(string? fmtp, string key)
    {
        if (fmtp is null)
        {
            return null;
        }

        foreach (var part in fmtp.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part.AsSpan(0, equals).Trim().Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return part.Substring(equals + 1).Trim();
            }
        }

        return null;
    }
}

/// <summary>
/// H.264 profile-level-id (RFC 6184 §8.1): profile_idc, profile-iop (constraint flags) and level_idc as 6 hex digits.
/// Constrained Baseline is what our encoder makes and every browser decodes; the patterns below are the ones
/// RFC 6184 Table 5 (and libwebrtc) accept as Constrained Baseline.
/// </summary>
internal readonly record struct H264ProfileLevelId(byte ProfileIdc, byte ProfileIop, byte LevelIdc)
{
    public static bool TryParse(string? text, out H264ProfileLevelId value)
    {
        value = default;
        if (text is null || text.Length != 6
            || !uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint raw))
        {
            return false;
        }

        value = new H264ProfileLevelId((byte)(raw >> 16), (byte)(raw >> 8), (byte)raw);
        return true;
    }

    /// <summary>
    /// Constrained Baseline: profile_idc 0x42 with constraint_set1 (iop x1xx0000), or Main 0x4D with
    /// constraint_set0 (1xxx0000), or Extended 0x58 with set0 and set1 (11xx0000): all decode as CB.
    /// </summary>
    public bool IsConstrainedBaseline => ProfileIdc switch
    {
        0x42 => (ProfileIop & 0x4F) == 0x40,
        0x4D => (ProfileIop & 0x8F) == 0x80,
        0x58 => (ProfileIop & 0xCF) == 0xC0,
        _ => false,
    };
}
