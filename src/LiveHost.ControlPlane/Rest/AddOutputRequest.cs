namespace LiveHost.ControlPlane;

/// <summary>
/// Body of <c>POST /api/rooms/{room}/outputs</c>: <c>{ "url": "rtmp://...", "trustedCa": null, "preset": null }</c>.
/// <c>trustedCa</c> (rtmps:// only): PEM text or a PEM file's path; <c>preset</c>: youtube | twitch | facebook | douyin | generic;
/// <c>bearerToken</c> (WHIP only): sent as <c>Authorization: Bearer</c>, never shown back.
/// </summary>
public sealed record AddOutputRequest(string? Url, string? TrustedCa = null, string? Preset = null, string? BearerToken = null)
{
    /// <summary>The request as it is acted on and compared for Idempotency-Key: trimmed, empty fields as null.</summary>
    public AddOutputRequest Normalized() =>
        new(Url?.Trim(), string.IsNullOrWhiteSpace(TrustedCa) ? null : TrustedCa.Trim(), string.IsNullOrWhiteSpace(Preset) ? null : Preset.Trim().ToLowerInvariant(),
            string.IsNullOrWhiteSpace(BearerToken) ? null : BearerToken.Trim());

    /// <summary>The record's text without the token (records print every property; this one must never reach a log).</summary>
    public override string ToString() =>
        $"AddOutputRequest {{ Url = {Url}, TrustedCa = {(TrustedCa is null ? "null" : "(set)")}, Preset = {Preset ?? "null"}, BearerToken = {(BearerToken is null ? "null" : "****")} }}";
}
