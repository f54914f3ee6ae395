using System.Globalization;

namespace LiveHost.WebRtc.Sdp;

/// <summary>
/// Line-oriented SDP reader (RFC 8866 §5): "&lt;type&gt;=&lt;value&gt;" lines, session part then m= sections.
/// Accepts CRLF or bare LF, blank lines and unknown types, because browsers, proxies and hand-written test
/// clients all differ there; what it cannot use it keeps raw or skips.
/// </summary>
internal static class SdpParser
{
    public static bool TryParse(string? sdp, out SessionDescription? description, out string? error)
    {
        description = null;
        if (string.IsNullOrWhiteSpace(sdp))
        {
            error = "The SDP is empty.";
            return false;
        }

        if (sdp.Length > SessionDescription.MaxLength)
        {
            error = $"The SDP is {sdp.Length} characters; at most {SessionDescription.MaxLength} are accepted.";
            return false;
        }

        var session = new SessionDescription();
        MediaDescription? media = null;
        bool sawVersion = false;
        int lineNumber = 0;
        foreach (var rawLine in sdp.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = rawLine.TrimEnd();
            if (line.IsEmpty)
            {
                continue;
            }

            if (line.Length < 2 || line[1] != '=')
            {
                continue; // not an SDP line; tolerated
            }

            char type = line[0];
            string value = line.Slice(2).ToString();
            if (!sawVersion)
            {
                if (type != 'v' || value.Trim() != "0")
                {
                    error = $"Line {lineNumber}: an SDP must start with \"v=0\".";
                    return false;
                }

                sawVersion = true;
                continue;
            }

            switch (type)
            {
                case 'o' when media is null:
                    session.Origin = value;
                    break;
                case 's' when media is null:
                    session.SessionName = value;
                    break;
                case 'c' when media is not null:
                    media.Connection = value;
                    break;
                case 'm':
                    media = ParseMediaLine(value);
                    if (media is null)
                    {
                        error = $"Line {lineNumber}: malformed m= line \"{Truncate(value)}\" (want \"<media> <port> <proto> <fmt> ...\").";
                        return false;
                    }

                    session.MediaList.Add(media);
                    break;
                case 'a':
                    var attribute = SplitAttribute(value);
                    if (media is null)
                    {
                        ApplySessionAttribute(session, attribute);
                    }
                    else
                    {
                        ApplyMediaAttribute(media, attribute);
                    }

                    break;
            }
        }

        if (!sawVersion)
        {
            error = "The SDP has no \"v=0\" line.";
            return false;
        }

        InheritSessionLevel(session);
        description = session;
        error = null;
        return true;
    }

    private static MediaDescription? ParseMediaLine(string value)
    {
        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4)
        {
            return null;
        }

        string port = parts[1];
        int slash = port.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            port = port.Substring(0, slash); // "<port>/<number of ports>"
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int portNumber) || portNumber > 65535)
        {
            return null;
        }

        return new MediaDescription(parts[0], portNumber, parts[2], parts[3..]);
    }

    private static SdpAttribute SplitAttribute(string value)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new SdpAttribute(value.Trim(), null) : new SdpAttribute(value.Substring(0, colon).Trim(), value.Substring(colon + 1).Trim());
    }

    private static void ApplySessionAttribute(SessionDescription session, SdpAttribute attribute)
    {
        session.AttributesList.Add(attribute);
        switch (attribute.Name)
        {
            case "ice-ufrag":
                session.IceUfrag ??= attribute.Value;
                break;
            case "ice-pwd":
                session.IcePassword ??= attribute.Value;
                break;
            case "fingerprint":
                session.Fingerprint ??= SdpFingerprint.TryParse(attribute.Value);
                break;
            case "setup":
                session.Setup ??= attribute.Value;
                break;
            case "ice-lite":
                session.IceLite = true;
                break;
            case "group" when attribute.Value is not null && session.BundleMids.Count == 0:
                string[] parts = attribute.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length > 1 && parts[0] == "BUNDLE")
                {
                    session.BundleMids = parts[1..];
                }

                break;
        }
    }

    private static void ApplyMediaAttribute(MediaDescription media, SdpAttribute attribute)
    {
        media.AttributesList.Add(attribute);
        string? value = attribute.Value;
        switch (attribute.Name)
        {
            case "mid":
                media.Mid ??= value;
                break;
            case "ice-ufrag":
                media.IceUfrag ??= value;
                break;
            case "ice-pwd":
                media.IcePassword ??= value;
                break;
            case "fingerprint":
                media.Fingerprint ??= SdpFingerprint.TryParse(value);
                break;
            case "setup":
                media.Setup ??= value;
                break;
            case "rtcp-mux":
                media.RtcpMux = true;
                break;
            case "rtcp-rsize":
                media.RtcpReducedSize = true;
                break;
            case "sendrecv" or "sendonly" or "recvonly" or "inactive" when !media.HasDirection:
                media.Direction = ParseDirection(attribute.Name); // first wins, like every other single-valued attribute
                media.HasDirection = true;
                break;
            case "rtpmap" when value is not null && SdpRtpMap.TryParse(value) is { } rtpMap:
                media.RtpMapsList.Add(rtpMap);
                break;
            case "fmtp" when value is not null:
                int space = value.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0 && SdpNumbers.TryParsePayloadType(value.AsSpan(0, space), out int pt))
                {
                    media.FmtpsList.TryAdd(pt, value.Substring(space + 1).Trim());
                }

                break;
            case "rtcp-fb" when value is not null && SdpRtcpFeedback.TryParse(value) is { } feedback:
                media.RtcpFeedbackList.Add(feedback);
                break;
            case "extmap" when value is not null && SdpExtMap.TryParse(value) is { } extMap:
                media.ExtMapsList.Add(extMap);
                break;
            case "ssrc" when value is not null && SdpSsrc.TryParse(value) is { } ssrc:
                media.SsrcsList.Add(ssrc);
                break;
        }
    }

    private static void InheritSessionLevel(SessionDescription session)
    {
        SdpDirection? sessionDirection = null;
        foreach (var attribute in session.AttributesList)
        {
            if (attribute.Name is "sendrecv" or "sendonly" or "recvonly" or "inactive")
            {
                sessionDirection = ParseDirection(attribute.Name);
            }
        }

        foreach (var media in session.MediaList)
        {
            media.IceUfrag ??= session.IceUfrag;
            media.IcePassword ??= session.IcePassword;
            media.Fingerprint ??= session.Fingerprint;
            media.Setup ??= session.Setup;
            if (!media.HasDirection && sessionDirection is { } direction)
            {
                media.Direction = direction;
            }
        }
    }

    private static SdpDirection ParseDirection(string name) => name switch
    {
        "sendonly" => SdpDirection.SendOnly,
        "recvonly" => SdpDirection.RecvOnly,
        "inactive" => SdpDirection.Inactive,
        _ => SdpDirection.SendRecv,
    };

    private static string Truncate(string value) => value.Length <= 60 ? value : string.Concat(value.AsSpan(0, 60), "...");
}
