using LiveHost.Rtmp;
using LiveHost.Rtmp.Network;
using LiveHost.Host.Outputs.Whip;
using LiveHost.WebRtc;
using LiveHost.Srt;

namespace LiveHost.Host.Outputs;

/// <summary>One output a room is asked to push to, as REST or configuration gives it.</summary>
public sealed record OutputTarget(string Url, string? TrustedCa, string? Preset, string? BearerToken = null, IReadOnlyList<IceServerOptions>? IceServers = null)
{
    /// <summary>The record's text without the token (records print every property).</summary>
    public override string ToString() =>
        $"OutputTarget {{ Url = {Url}, Preset = {Preset ?? "null"}, BearerToken = {(BearerToken is null ? "null" : "****")}, IceServers = {IceServers?.Count ?? 0} }}";
}

/// <summary>What a WHIP output needs from its room: its name, and the WebRTC service whose encode it pushes (null: WebRTC is off).</summary>
public sealed record WhipSource(string Room, LiveHost.WebRtc.WebRtcService? WebRtc);

/// <summary>
/// The one place a URL's scheme picks an output kind and builds it: <c>rtmp://</c> and <c>rtmps://</c> are RTMP outputs
/// (LiveHost.Rtmp), <c>srt://</c> an SRT caller (LiveHost.Srt), <c>https://</c> (or <c>http://</c>, for loopback tests) a WHIP push
/// (<see cref="WhipOutput"/>, which rides the room's WebRTC stream). Every kind runs under the same supervision
/// (<see cref="SupervisedOutput"/>: state, backoff, pause/resume, bitrate, metrics) in the room's <see cref="RtmpOutputSet"/>. A new kind adds
/// its scheme to <see cref="Of"/> and its case to <see cref="Validate"/>, <see cref="Host"/> and <see cref="Add"/>. REST (<see cref="RoomOutputs"/>), configured outputs
/// (<c>LiveRoom.StartAsync</c>) and the start-up check (<c>LiveHostSettings.Validate</c>) all come through here.
/// </summary>
public static class OutputKinds
{
    public const string Rtmp = "rtmp";
    public const string Srt = "srt";
    public const string Whip = "whip";

    /// <summary>The kind for <paramref name="url"/>'s scheme, or null with what is supported in <paramref name="error"/>.</summary>
    public static string? Of(string url, out string error)
    {
        error = "";
        var end = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = end > 0 ? url[..end].ToLowerInvariant() : "";
        switch (scheme)
        {
            case "rtmp" or "rtmps":
                return Rtmp;
            case "srt":
                return Srt;
            case "https" or "http":
                return Whip;
            default:
                error = $"outputs take rtmp://, rtmps://, srt:// or https:// (WHIP) URLs (got '{(end > 0 ? url[..end] : "no scheme")}')";
                return null;
        }
    }

    /// <summary>
    /// Every reason <paramref name="target"/> cannot be added to a room with <paramref name="encode"/> (URL, trusted CA,
    /// preset), without touching the network; empty when it can.
    /// </summary>
    public static IEnumerable<string> Validate(OutputTarget target, RoomEncodeProfile encode)
    {
        var kind = Of(target.Url, out var kindError);
        if (kind is null)
        {
            yield return kindError;
            yield break;
        }
        bool secure;
        if (kind == Whip)
        {
            if (!WhipUrl.TryParse(target.Url, out var whip, out var whipError))
            {
                yield return whipError;
                yield break;
            }
            if (whip.BearerToken is not null && target.BearerToken is not null)
                yield return "bearerToken is given twice (the field and the URL's password); give it once, preferably as bearerToken";
            for (var i = 0; i < (target.IceServers?.Count ?? 0); i++)
            {
                foreach (var problem in target.IceServers![i].Validate()) yield return $"iceServers[{i}]: {problem}";
            }
            if (target.TrustedCa is not null) yield return "trustedCa applies to rtmps:// outputs only; this URL is a WHIP endpoint";
            if (target.Preset is not null) yield return "presets describe RTMP and SRT ingests; a WHIP output takes none";
            yield break;
        }
        if (target.BearerToken is not null) yield return $"bearerToken applies to WHIP (https://) outputs only; this URL is {kind}";
        if (target.IceServers is { Count: > 0 }) yield return $"iceServers applies to WHIP (https://) outputs only; this URL is {kind}";
        if (kind == Srt)
        {
            if (!SrtUrl.TryParse(target.Url, out _, out var srtError))
            {
                yield return srtError;
                yield break;
            }
            if (target.TrustedCa is not null) yield return "trustedCa applies to rtmps:// outputs only; this URL is srt://";
            secure = false;
        }
        else
        {
            if (!RtmpUrl.TryParse(target.Url, out var rtmp, out var rtmpError))
            {
                yield return rtmpError;
                yield break;
            }
            secure = rtmp.Secure;
            if (target.TrustedCa is { } ca)
            {
                if (!RtmpTlsTrust.TryFromPem(ca, out _, out var caError)) yield return caError;
                else if (!secure) yield return "trustedCa applies to rtmps:// outputs only; this URL is rtmp:// (no TLS)";
            }
        }
        if (OutputPresets.Refusal(target.Preset, encode, secure) is { } refusal) yield return refusal;
    }

    /// <summary>The host <paramref name="url"/> connects to, for the private-network check; null when it does not parse.</summary>
    public static string? Host(string url) =>
        Of(url, out _) switch
        {
            Whip => WhipUrl.TryParse(url, out var whip, out _) ? whip.Endpoint.Host : null,
            Srt => SrtUrl.TryParse(url, out var srt, out _) ? srt.Host : null,
            Rtmp => RtmpUrl.TryParse(url, out var rtmp, out _) ? rtmp.Host : null,
            _ => null,
        };

    /// <summary>Checks the host against the address rules and starts the output (call <see cref="Validate"/> first).</summary>
    /// <exception cref="ArgumentException">The URL or its host is refused (the message says why); nothing is added.</exception>
    /// <exception cref="ObjectDisposedException">The room's outputs are stopped.</exception>
    public static RtmpOutputInfo Add(RtmpOutputSet outputs, OutputTarget target, ILoggerFactory loggers, TimeProvider time, WhipSource whip)
    {
        var kind = Of(target.Url, out _);
        if (kind == Whip)
        {
            var webRtc = whip.WebRtc ?? throw new ArgumentException("WHIP outputs need WebRTC, which this server has off");
            var endpoint = WhipUrl.Parse(target.Url, target.BearerToken);
            CheckOnAdd(outputs, endpoint.Endpoint.Host, time);
            // An output's own STUN/TURN servers are held to the same address rules as its endpoint (the configured ones are the operator's).
            foreach (var server in (target.IceServers ?? []).SelectMany(s => s.Parsed())) CheckOnAdd(outputs, server.Host, time);
            // Retried sooner than RTMP (at most 3 s apart): an endpoint restarting is back within seconds.
            var options = outputs.Options with { BackoffMax = TimeSpan.FromTicks(Math.Max(outputs.Options.BackoffMin.Ticks, Math.Min(outputs.Options.BackoffMax.Ticks, WhipOutput.BackoffMax.Ticks))) };
            return outputs.Add(Whip, id => new WhipOutput(id, endpoint, whip.Room, webRtc, options, loggers.CreateLogger<WhipOutput>(), time) { IceServers = target.IceServers });
        }
        if (kind is not Srt)
        {
            var trust = target.TrustedCa is null ? null : RtmpTlsTrust.FromPem(target.TrustedCa);
            return outputs.Add(target.Url, trust, target.Preset);
        }
        var url = SrtUrl.Parse(target.Url);
        CheckOnAdd(outputs, url.Host, time);
        return outputs.Add(Srt, id =>
            new SrtOutput(id, url, outputs.Source, outputs.Options, loggers.CreateLogger<SrtOutput>(), time) { Preset = target.Preset });
    }

    private static void CheckOnAdd(RtmpOutputSet outputs, string host, TimeProvider time)
    {
        using var resolving = new CancellationTokenSource(TimeSpan.FromSeconds(3), time);
        if (outputs.Options.Addresses.CheckOnAdd(host, resolving.Token) is { } refusal) throw new OutputAddressRefusedException(refusal);
    }
}
