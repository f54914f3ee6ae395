using System.Buffers.Text;
using System.Security.Cryptography;

namespace LiveHost.ControlPlane;

/// <summary>
/// The generated admin key's file (<c>admin.key</c> in the data directory, owner read/write only). Created once
/// when no key is configured; every later start reads it back so the operator's saved key keeps working.
/// </summary>
public sealed class AdminKeyFile(string path)
{
    public const string FileName = "admin.key";
    private const int KeyBytes = 32;

    public string Path { get; } = path;

    /// <summary>Reads the stored key, or creates it. <paramref name="created"/> says whether this call made it.</summary>
    public string LoadOrCreate(out bool created)
    {
        var existing = TryRead();
        if (existing is not null)
        {
            created = false;
            return existing;
        }

        var key = NewKey();
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600 from the start: no window in which another user could read the key.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(Path, options);
            using var writer = new StreamWriter(stream);
            writer.WriteLine(key);
        }
        catch (IOException) when (File.Exists(Path))
        {
            // Another process created it between our read and our create: theirs wins.
            created = false;
            return TryRead() ?? throw new InvalidOperationException($"the admin key file {Path} exists but holds no key");
        }

        created = true;
        return key;
    }

    private string? TryRead()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        var text = File.ReadAllText(Path).Trim();
        if (text.Length == 0)
        {
            throw new InvalidOperationException($"the admin key file {Path} is empty; delete it to have a new key generated");
        }

        return text;
    }

    /// <summary>32 random bytes as base64url: 43 characters, safe in headers and query strings.</summary>
    public static string NewKey()
    {
        Span<byte> bytes = stackalloc byte[KeyBytes];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
