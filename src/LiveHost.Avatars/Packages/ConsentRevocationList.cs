using System.Text.Json;

namespace LiveHost.Avatars.Packages;

/// <summary>
/// Consents withdrawn by their subjects or issuers, published as a JSON file:
/// <code>{ "revoked": [ { "consentId": "c-1", "reason": "subject withdrew" }, { "signature": "MEUC..." } ] }</code>
/// An entry matches a consent by id or by signature (the signature form revokes one exact record even where ids
/// were reused; the signature is the record's <c>signature</c> field exactly as it appears in the package). The file
/// is re-read when its size or write time changes; <see cref="Version"/> counts the reads that changed it.
/// </summary>
public sealed class ConsentRevocationList
{
    private readonly string? _path;
    private readonly object _gate = new();
    private Dictionary<string, string> _byId = new(StringComparer.Ordinal);
    private Dictionary<string, string> _bySignature = new(StringComparer.Ordinal);
    private (DateTime WriteTime, long Length)? _stamp;
    private bool _everLoaded;
    private IReadOnlyList<RevocationEntry> _entries = [];
    private int _version;

    /// <param name="path">The list's file; null or empty: nothing is revoked.</param>
    public ConsentRevocationList(string? path)
    {
        _path = string.IsNullOrWhiteSpace(path) ? null : path;
        _everLoaded = _path is null;
    }

    /// <summary>
    /// Re-reads the file if it changed. When it cannot be read or parsed, the last good list stays in force and this
    /// returns false (a file being rewritten must not stop every room); a list never read at all refuses everything.
    /// </summary>
    public bool Refresh(out string? error)
    {
        error = null;
        if (_path is null) return true;
        lock (_gate)
        {
            try
            {
                var info = new FileInfo(_path);
                if (!info.Exists)
                {
                    error = $"revocation list {_path} does not exist";
                    return false;
                }
                var stamp = (info.LastWriteTimeUtc, info.Length);
                if (_stamp == stamp) return true;
                var document = JsonSerializer.Deserialize<RevocationDocument>(File.ReadAllBytes(_path), AvatarPackageJson.Options)
                    ?? throw new JsonException("empty document");
                var byId = new Dictionary<string, string>(StringComparer.Ordinal);
                var bySignature = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var entry in document.Revoked ?? [])
                {
                    var reason = string.IsNullOrWhiteSpace(entry.Reason) ? "revoked" : entry.Reason;
                    if (!string.IsNullOrEmpty(entry.ConsentId)) byId[entry.ConsentId] = reason;
                    if (!string.IsNullOrEmpty(entry.Signature)) bySignature[entry.Signature] = reason;
                }
                _byId = byId;
                _bySignature = bySignature;
                _entries = [.. document.Revoked ?? []];
                _version++;
                _stamp = stamp;
                _everLoaded = true;
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                error = $"revocation list {_path} could not be read: {e.Message}";
                return false;
            }
        }
    }

    /// <summary>Whether a good copy of the list has ever been read (or none is configured).</summary>
    public bool IsAvailable
    {
        get { lock (_gate) return _everLoaded; }
    }

    /// <summary>Increases each time a changed list is read.</summary>
    public int Version
    {
        get { lock (_gate) return _version; }
    }

    /// <summary>The entries of the last good read.</summary>
    public IReadOnlyList<RevocationEntry> Entries
    {
        get { lock (_gate) return _entries; }
    }

    /// <summary>Whether <paramref name="entry"/> names <paramref name="consent"/> (by id or by signature).</summary>
    public static bool Matches(RevocationEntry entry, ConsentRecord consent)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(consent);
        return (!string.IsNullOrEmpty(entry.ConsentId) && string.Equals(entry.ConsentId, consent.Id, StringComparison.Ordinal))
            || (!string.IsNullOrEmpty(entry.Signature) && string.Equals(entry.Signature, consent.Signature, StringComparison.Ordinal));
    }

    /// <summary>True with the published reason when the consent's id or signature is on the list.</summary>
    public bool IsRevoked(ConsentRecord consent, out string reason)
    {
        ArgumentNullException.ThrowIfNull(consent);
        lock (_gate)
        {
            if ((!string.IsNullOrEmpty(consent.Id) && _byId.TryGetValue(consent.Id, out var byId)))
            {
                reason = byId;
                return true;
            }
            if (!string.IsNullOrEmpty(consent.Signature) && _bySignature.TryGetValue(consent.Signature, out var bySignature))
            {
                reason = bySignature;
                return true;
            }
        }
        reason = "";
        return false;
    }

    /// <summary>Writes a list file (for operators' tools and tests).</summary>
    public static void Write(string path, IEnumerable<RevocationEntry> entries)
    {
        var document = new RevocationDocument { Revoked = [.. entries] };
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(document, AvatarPackageJson.Options));
        File.Move(temporary, path, overwrite: true);
    }

    public sealed record RevocationEntry
    {
        public string? ConsentId { get; init; }

        public string? Signature { get; init; }

        public string? Reason { get; init; }
    }

    private sealed record RevocationDocument
    {
        public List<RevocationEntry>? Revoked { get; init; }
    }
}
