using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveHost.Rtmp;

namespace LiveHost.ControlPlane;

/// <summary>
/// A command's arguments as the audit log keeps them: canonical JSON (objects' members sorted by name in ordinal
/// UTF-16 order as RFC 8785 sorts them, no whitespace, strings escaped as <see cref="AuditCanonicalForm"/> does, numbers
/// as the server's serializer wrote them), with secrets masked and the size capped.
/// <list type="bullet">
/// <item>Secrets become <c>****</c>: the value of any member named like a key or password (<c>key</c>, <c>apiKey</c>,
/// <c>access_token</c>, <c>token</c>, <c>password</c>, <c>secret</c>, <c>streamKey</c>, <c>authorization</c>), any string
/// that is one of the server's API keys, and the stream key and query values of any <c>rtmp://</c> URL (masked as
/// <see cref="RtmpUrl.Masked"/> shows it in <c>OutputState.url</c>; one that does not parse becomes <c>rtmp://****</c>), and
/// every query value of any <c>srt://</c> URL (its passphrase and stream id).</item>
/// <item>Canonical text over <see cref="MaxBytes"/> UTF-8 bytes is replaced by
/// <c>{"bytes":N,"head":"...","sha256":"...","truncated":true}</c>: its first <see cref="HeadBytes"/> bytes as a string,
/// its full length and the SHA-256 of the full text, so a flood cannot bloat the log and the original can still be matched.</item>
/// </list>
/// </summary>
public static partial class AuditArguments
{
    public const int MaxBytes = 4096;
    public const int HeadBytes = 2048;
    public const string Mask = "****";

    private static readonly HashSet<string> SecretNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "key", "apikey", "accesstoken", "token", "password", "secret", "streamkey", "authorization",
    };

    /// <summary>Canonical, masked and capped text of <paramref name="value"/>.</summary>
    /// <param name="isApiKey">True for a string that is one of the server's keys (masked wherever it appears as a whole value).</param>
    public static string Canonical(JsonElement value, Func<string, bool>? isApiKey = null)
    {
        var text = new StringBuilder();
        Write(text, value, isApiKey);
        return Cap(text.ToString());
    }

    /// <summary>Replaces text over <see cref="MaxBytes"/> by its truncated form (see the type's summary).</summary>
    public static string Cap(string canonical)
    {
        var bytes = Encoding.UTF8.GetByteCount(canonical);
        if (bytes <= MaxBytes) return canonical;
        var all = Encoding.UTF8.GetBytes(canonical);
        var cut = HeadBytes;
        while (cut > 0 && (all[cut] & 0xC0) == 0x80) cut--; // never split a UTF-8 sequence
        var head = Encoding.UTF8.GetString(all, 0, cut);
        var text = new StringBuilder(cut + 160);
        text.Append("{\"bytes\":").Append(bytes).Append(",\"head\":");
        AuditCanonicalForm.AppendString(text, head);
        text.Append(",\"sha256\":\"").Append(Convert.ToHexStringLower(SHA256.HashData(all))).Append("\",\"truncated\":true}");
        return text.ToString();
    }

    /// <summary>A string with its secrets masked (API keys, RTMP stream keys and query values).</summary>
    public static string Scrub(string value, Func<string, bool>? isApiKey)
    {
        if (value.Length >= 8 && isApiKey?.Invoke(value) == true) return Mask;
        if (value.Contains("rtmp", StringComparison.OrdinalIgnoreCase))
        {
            value = RtmpUrls().Replace(value, m => RtmpUrl.TryParse(m.Value, out var url, out _) ? url.Masked : m.Groups["scheme"].Value + "://" + Mask);
        }
        if (value.Contains("srt://", StringComparison.OrdinalIgnoreCase))
        {
            value = SrtQueryValues().Replace(value, m => m.Groups["name"].Value + "=" + Mask);
        }
        return value;
    }

    private static bool IsSecretName(string name) => SecretNames.Contains(name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal));

    private static void Write(StringBuilder text, JsonElement value, Func<string, bool>? isApiKey)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var member in value.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    if (!first) text.Append(',');
                    first = false;
                    AuditCanonicalForm.AppendString(text, member.Name);
                    text.Append(':');
                    if (IsSecretName(member.Name) && member.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                    {
                        AuditCanonicalForm.AppendString(text, Mask);
                    }
                    else
                    {
                        Write(text, member.Value, isApiKey);
                    }
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (i++ > 0) text.Append(',');
                    Write(text, item, isApiKey);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                AuditCanonicalForm.AppendString(text, Scrub(value.GetString()!, isApiKey));
                break;
            case JsonValueKind.Number:
                text.Append(value.GetRawText());
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    [GeneratedRegex(@"(?<scheme>rtmps?)://[^\s""'<>]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RtmpUrls();

    // Each name=value of an srt:// URL's query: passphrase and streamid are secrets, and the rest are masked alike.
    [GeneratedRegex(@"(?<=srt://[^\s""'<>?]*\?[^\s""'<>]*?)(?<name>[A-Za-z_]+)=[^&\s""'<>]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SrtQueryValues();
}
