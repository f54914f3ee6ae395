namespace LiveHost.ControlPlane;

/// <summary>
/// Body of <c>POST /api/rooms/{room}/outputs</c>: <c>{ "url": "rtmp://...", "trustedCa": null, "preset": null }</c>.
/// <c>trustedCa</c> (rtmps:// only): PEM text or a PEM file's path; <c>preset</c>: youtube | twitch | facebook | douyin | generic;
/// <c>bearerToken</c> (WHIP only): sent as <c>Authorization: Bearer</c>, never shown back; <c>iceServers</c> (WHIP only):
/// this output's STUN/TURN servers instead of <c>WebRtc:IceServers</c>.
/// </summary>
public sealed record AddOutputRequest(string? Url, string? TrustedCa = null, string? Preset = null, string? BearerToken = null,
    IReadOnlyList<OutputIceServer>? IceServers = null)
{
    /// <summary>The request as it is acted on and compared for Idempotency-Key: trimmed, empty fields as null.</summary>
    public AddOutputRequest Normalized() =>
        new(Url?.Trim(), string.IsNullOrWhiteSpace(TrustedCa) ? null : TrustedCa.Trim(), string.IsNullOrWhiteSpace(Preset) ? null : Preset.Trim().ToLowerInvariant(),
            string.IsNullOrWhiteSpace(BearerToken) ? null : BearerToken.Trim(), IceServers is null or { Count: 0 } ? null : IceServers.Select(s => s.Normalized()).ToArray());

    /// <summary>Field by field, the ICE servers element by element (an Idempotency-Key compares bodies by value).</summary>
    public bool Equals(AddOutputRequest? other) =>
        other is not null && Url == other.Url && TrustedCa == other.TrustedCa && Preset == other.Preset && BearerToken == other.BearerToken
        && (IceServers ?? []).SequenceEqual(other.IceServers ?? []);

    public override int GetHashCode() => HashCode.Combine(Url, TrustedCa, Preset, BearerToken, IceServers?.Count ?? 0);

    /// <summary>The record's text without the secrets (records print every property; this one must never reach a log).</summary>
    public override string ToString() =>
        $"AddOutputRequest {{ Url = {Url}, TrustedCa = {(TrustedCa is null ? "null" : "(set)")}, Preset = {Preset ?? "null"}, BearerToken = {(BearerToken is null ? "null" : "****")}, IceServers = [{string.Join(", ", IceServers ?? [])}] }}";
}

/// <summary>One of a WHIP output's own STUN/TURN servers, shaped as WebRTC's RTCIceServer: <c>{ "urls": ["turn:host:3478"], "username": "u", "credential": "p" }</c>.</summary>
public sealed record OutputIceServer(IReadOnlyList<string>? Urls, string? Username = null, string? Credential = null)
{
    public OutputIceServer Normalized() =>
        new((Urls ?? []).Select(u => u.Trim()).ToArray(), string.IsNullOrEmpty(Username) ? null : Username, string.IsNullOrEmpty(Credential) ? null : Credential);

    public bool Equals(OutputIceServer? other) =>
        other is not null && (Urls ?? []).SequenceEqual(other.Urls ?? []) && Username == other.Username && Credential == other.Credential;

    public override int GetHashCode() => HashCode.Combine(Username, Credential, Urls?.Count ?? 0);

    /// <summary>The URLs and user, never the credential.</summary>
    public override string ToString() => $"{{ Urls = [{string.Join(", ", Urls ?? [])}], Username = {Username ?? "null"}, Credential = {(Credential is null ? "null" : "****")} }}";
}
