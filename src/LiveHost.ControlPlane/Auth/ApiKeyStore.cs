using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane;

/// <summary>
/// The keys the server accepts: those configured, or else one generated admin key kept in <c>admin.key</c>.
/// Keys are compared by their SHA-256 digests with a fixed-time comparison over every key, so neither the
/// position of the first differing byte nor which key matched shows in the timing.
/// </summary>
public sealed class ApiKeyStore
{
    private readonly Lazy<IReadOnlyList<StoredKey>> _keys;

    public ApiKeyStore(IOptions<ApiKeyOptions> options, IOptions<StorageOptions> storage, IHostEnvironment environment, ILogger<ApiKeyStore> logger)
    {
        var dataDirectory = storage.Value.DataDirectory;
        if (string.IsNullOrWhiteSpace(dataDirectory))
        {
            dataDirectory = "data";
        }

        var fullDataDirectory = Path.IsPathRooted(dataDirectory)
            ? dataDirectory
            : Path.Combine(environment.ContentRootPath, dataDirectory);
        AdminKeyPath = Path.Combine(fullDataDirectory, AdminKeyFile.FileName);
        _keys = new Lazy<IReadOnlyList<StoredKey>>(() => Load(options.Value, logger), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Where the generated admin key lives (whether or not one was needed).</summary>
    public string AdminKeyPath { get; }

    public int Count => _keys.Value.Count;

    /// <summary>Loads or creates the keys now, so a bad configuration fails the start and the banner prints at start.</summary>
    public void EnsureLoaded() => _ = _keys.Value;

    public bool TryAuthenticate(string? presentedKey, out ApiKeyIdentity? identity)
    {
        identity = null;
        if (string.IsNullOrEmpty(presentedKey))
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Digest(presentedKey, digest);
        foreach (var key in _keys.Value)
        {
            // No early exit: every key is compared so the time does not say which one matched.
            if (CryptographicOperations.FixedTimeEquals(digest, key.Digest))
            {
                identity = key.Identity;
            }
        }

        return identity is not null;
    }

    private IReadOnlyList<StoredKey> Load(ApiKeyOptions options, ILogger logger)
    {
        if (options.Keys.Count == 0)
        {
            var file = new AdminKeyFile(AdminKeyPath);
            var key = file.LoadOrCreate(out var created);
            if (created)
            {
                ControlPlaneLog.AdminKeyCreated(logger, key, file.Path);
            }
            else
            {
                ControlPlaneLog.AdminKeyReused(logger, file.Path);
            }

            return [new StoredKey(new ApiKeyIdentity("generated admin", Role.Admin), DigestOf(key))];
        }

        var keys = new List<StoredKey>(options.Keys.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var entry = options.Keys[i];
            var where = $"{ApiKeyOptions.SectionName}:Keys:{i}";
            var key = entry.Key?.Trim();
            if (string.IsNullOrEmpty(key))
            {
                throw new InvalidOperationException($"{where}:Key is empty; every configured key needs a value");
            }

            if (!RoleNames.TryParse(entry.Role, out var role))
            {
                throw new InvalidOperationException(
                    $"{where}:Role is '{entry.Role}'; use one of {RoleNames.Viewer}, {RoleNames.Seller}, {RoleNames.Producer}, {RoleNames.Admin}");
            }

            if (!seen.Add(key))
            {
                throw new InvalidOperationException($"{where}:Key repeats an earlier key; each key must be distinct so it names one role");
            }

            var name = string.IsNullOrWhiteSpace(entry.Name) ? $"key {i}" : entry.Name.Trim();
            if (key.Length < 16)
            {
                ControlPlaneLog.ShortKey(logger, name, key.Length);
            }

            keys.Add(new StoredKey(new ApiKeyIdentity(name, role), DigestOf(key)));
        }

        ControlPlaneLog.KeysLoaded(logger, keys.Count);
        return keys;
    }

    private static byte[] DigestOf(string key)
    {
        var digest = new byte[SHA256.HashSizeInBytes];
        Digest(key, digest);
        return digest;
    }

    private static void Digest(string key, Span<byte> destination) => SHA256.HashData(Encoding.UTF8.GetBytes(key), destination);

    private sealed record StoredKey(ApiKeyIdentity Identity, byte[] Digest);
}
