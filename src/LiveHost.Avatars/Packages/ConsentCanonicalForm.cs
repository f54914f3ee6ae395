using System.Buffers;
using System.Globalization;

namespace LiveHost.Avatars.Packages;

/// <summary>
/// The exact bytes a consent signature covers, so any tool in any language can produce and check them:
/// UTF-8 JSON, no whitespace, one object whose members are, in this order (ordinal order of their names),
/// <c>consentVideoSha256, expiresAt, id, issuedAt, issuer, keyId, recordingSha256, scope, subject</c>, where
/// <c>consentVideoSha256</c> and <c>recordingSha256</c> are left out when the record has none (so records signed
/// before they existed still verify; the loader then refuses them for lacking a recording). Timestamps are UTC in the form
/// <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c> (always seven fraction digits); <c>scope</c> is an array of strings in the
/// record's order. Strings use JSON's minimal escaping: <c>"</c>, <c>\</c> and control characters are escaped
/// (controls as <c>\uXXXX</c> in upper-case hex, except <c>\b \f \n \r \t</c>), every other character, non-ASCII
/// included, is written as itself. The signature field itself is not covered. Example:
/// <code>{"expiresAt":"2027-01-01T00:00:00.0000000Z","id":"c-1","issuedAt":"2026-01-01T00:00:00.0000000Z","issuer":"Studio","keyId":"k1","recordingSha256":"9f86…","scope":["livestream"],"subject":"Anna"}</code>
/// </summary>
public static class ConsentCanonicalForm
{
    public static byte[] ToBytes(ConsentRecord consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("{"u8);
        var hasVideo = !string.IsNullOrEmpty(consent.ConsentVideoSha256);
        if (hasVideo) Member(buffer, "consentVideoSha256", consent.ConsentVideoSha256, first: true);
        Member(buffer, "expiresAt", Timestamp(consent.ExpiresAt), first: !hasVideo);
        Member(buffer, "id", consent.Id);
        Member(buffer, "issuedAt", Timestamp(consent.IssuedAt));
        Member(buffer, "issuer", consent.Issuer);
        Member(buffer, "keyId", consent.KeyId);
        if (!string.IsNullOrEmpty(consent.RecordingSha256)) Member(buffer, "recordingSha256", consent.RecordingSha256);
        buffer.Write(",\"scope\":["u8);
        for (var i = 0; i < consent.Scope.Count; i++)
        {
            if (i > 0) buffer.Write(","u8);
            String(buffer, consent.Scope[i]);
        }
        buffer.Write("]"u8);
        Member(buffer, "subject", consent.Subject);
        buffer.Write("}"u8);
        return buffer.WrittenSpan.ToArray();
    }

    public static string ToText(ConsentRecord consent) => System.Text.Encoding.UTF8.GetString(ToBytes(consent));

    private static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static void Member(ArrayBufferWriter<byte> buffer, string name, string? value, bool first = false)
    {
        if (!first) buffer.Write(","u8);
        String(buffer, name);
        buffer.Write(":"u8);
        String(buffer, value ?? "");
    }

    private static void String(ArrayBufferWriter<byte> buffer, string value)
    {
        var text = new System.Text.StringBuilder(value.Length + 2);
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < 0x20) text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
        buffer.Write(System.Text.Encoding.UTF8.GetBytes(text.ToString()));
    }
}
