using System.Globalization;

namespace LiveHost.WebRtc.Sdp;

/// <summary>Media direction (RFC 8866 §6.7); absent means sendrecv.</summary>
public enum SdpDirection
{
    SendRecv = 0,
    SendOnly,
    RecvOnly,
    Inactive,
}

/// <summary>One a= line as written: name before the first ':', value after it (null for flags like a=rtcp-mux).</summary>
public sealed record SdpAttribute(string Name, string? Value);

/// <summary>a=rtpmap (RFC 8866 §6.6): payload type to encoding name, clock rate and (audio) channels.</summary>
public sealed record SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int? Channels)
{
    internal static SdpRtpMap? TryParse(string value)
    {
        // "111 opus/48000/2"
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !SdpNumbers.TryParsePayloadType(value.AsSpan(0, space), out int pt))
        {
            return null;
        }

        string[] parts = value.Substring(space + 1).Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int clock) || clock <= 0)
        {
            return null;
        }

        int? channels = null;
        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int c) || c <= 0)
            {
                return null;
            }

            channels = c;
        }

        return new SdpRtpMap(pt, parts[0], clock, channels);
    }

    /// <summary>As an offer lists it, e.g. "opus/48000/2"; used in error messages.</summary>
    public override string ToString()
        => Channels is int c ? $"{EncodingName}/{ClockRate}/{c}" : $"{EncodingName}/{ClockRate}";
}

/// <summary>a=rtcp-fb (RFC 4585 §4.2): PayloadType null means "*" (all formats).</summary>
public sealed record SdpRtcpFeedback(int? PayloadType, string Type, string? Parameter)
{
    internal static SdpRtcpFeedback? TryParse(string value)
    {
        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return null;
        }

        int? pt = null;
        if (parts[0] != "*")
        {
            if (!SdpNumbers.TryParsePayloadType(parts[0], out int parsed))
            {
                return null;
            }

            pt = parsed;
        }

        return new SdpRtcpFeedback(pt, parts[1], parts.Length > 2 ? string.Join(' ', parts, 2, parts.Length - 2) : null);
    }

    /// <summary>"nack", "nack pli", "ccm fir": the form an answer writes after the payload type.</summary>
    public string Value => Parameter is null ? Type : $"{Type} {Parameter}";
}

/// <summary>a=extmap (RFC 8285 §8): a header extension id and its URI.</summary>
public sealed record SdpExtMap(int Id, string Uri)
{
    internal static SdpExtMap? TryParse(string value)
    {
        // "4 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01" or "3/recvonly urn:..."
        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return null;
        }

        string id = parts[0];
        int slash = id.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            id = id.Substring(0, slash);
        }

        return int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed is >= 1 and <= 255
            ? new SdpExtMap(parsed, parts[1])
            : null;
    }
}

/// <summary>a=ssrc (RFC 5576 §4.1): "ssrc attribute[:value]", e.g. cname or msid.</summary>
public sealed record SdpSsrc(uint Ssrc, string Attribute, string? Value)
{
    internal static SdpSsrc? TryParse(string value)
    {
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !uint.TryParse(value.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out uint ssrc))
        {
            return null;
        }

        string rest = value.Substring(space + 1).Trim();
        if (rest.Length == 0)
        {
            return null;
        }

        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new SdpSsrc(ssrc, rest, null) : new SdpSsrc(ssrc, rest.Substring(0, colon), rest.Substring(colon + 1));
    }
}

internal static class SdpNumbers
{
    public static bool TryParsePayloadType(ReadOnlySpan<char> text, out int payloadType)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out payloadType) && payloadType is >= 0 and <= 127;
}
