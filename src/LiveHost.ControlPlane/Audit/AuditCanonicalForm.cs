using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LiveHost.ControlPlane;

/// <summary>
/// What an audit entry's hash covers, byte for byte:
/// <code>
/// hash(n) = lowercase hex of SHA-256( prevHash(n) as 32 raw bytes || UTF-8( canonical(n) ) )
/// prevHash(1) = 32 zero bytes; prevHash(n) = hash(n-1)
/// canonical(n) = [seq,"at","keyName","role","room","command","arguments","result"]
/// </code>
/// A JSON array with no whitespace: <c>seq</c> an integer in decimal without sign or leading zeros; every other field a
/// JSON string, or <c>null</c> when absent (key name and role of an unknown caller, room of a library command). Strings
/// are escaped as RFC 8785 (JCS) does: <c>"</c> and <c>\</c> and U+0000..U+001F only (<c>\b \t \n \f \r</c>, else
/// <c>\u00xx</c> in lowercase hex); everything else as its UTF-8 bytes. <c>at</c> is the UTC time the call arrived as
/// <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>; <c>arguments</c> is the stored canonical JSON text (<see cref="AuditArguments"/>),
/// embedded as a string exactly as stored.
/// </summary>
public static class AuditCanonicalForm
{
    public const int HashBytes = 32;

    /// <summary>The chain's start: the previous hash of entry 1.</summary>
    public static readonly string Genesis = new('0', HashBytes * 2);

    public static string FormatTime(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string Canonical(long seq, string at, string? keyName, string? role, string? room, string command, string arguments, string result)
    {
        var text = new StringBuilder(128 + arguments.Length);
        text.Append('[').Append(seq.ToString(CultureInfo.InvariantCulture));
        foreach (var field in new[] { at, keyName, role, room, command, arguments, result })
        {
            text.Append(',');
            if (field is null) text.Append("null");
            else AppendString(text, field);
        }
        return text.Append(']').ToString();
    }

    public static string Hash(string prevHash, string canonical)
    {
        var previous = Convert.FromHexString(prevHash);
        var body = Encoding.UTF8.GetBytes(canonical);
        var input = new byte[previous.Length + body.Length];
        previous.CopyTo(input, 0);
        body.CopyTo(input, previous.Length);
        return Convert.ToHexStringLower(SHA256.HashData(input));
    }

    /// <summary>The hash an entry must carry given its previous hash and fields.</summary>
    public static string HashOf(AuditEntry entry) =>
        Hash(entry.PrevHash, Canonical(entry.Seq, entry.At, entry.KeyName, entry.Role, entry.Room, entry.Command, entry.Arguments, entry.Result));

    /// <summary>A JSON string as RFC 8785 writes it.</summary>
    public static void AppendString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\t': text.Append("\\t"); break;
                case '\n': text.Append("\\n"); break;
                case '\f': text.Append("\\f"); break;
                case '\r': text.Append("\\r"); break;
                case < ' ': text.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }
        text.Append('"');
    }
}
