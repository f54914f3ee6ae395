using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace LiveHost.ControlPlane;

/// <summary>
/// The console's files, embedded in this assembly (Console/Assets, logical names <c>LiveHost.Console.{file}</c>), read
/// once. Only these names are served; nothing is read from disk at run time, so the page needs no build and no folder.
/// </summary>
public sealed class ConsoleAssets
{
    public const string Page = "console.html";
    private const string Prefix = "LiveHost.Console.";

    private static readonly FrozenDictionary<string, string> Types = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, ConsoleAsset> _files;

    private ConsoleAssets(FrozenDictionary<string, ConsoleAsset> files) => _files = files;

    public IEnumerable<string> Names => _files.Keys;

    public static ConsoleAssets FromAssembly()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var name = resource[Prefix.Length..];
            if (!Types.TryGetValue(Path.GetExtension(name), out var type)) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"";
            files[name] = new ConsoleAsset(bytes, type, etag);
        }
        if (!files.ContainsKey(Page)) throw new InvalidOperationException($"the console's {Page} is not embedded in {assembly.GetName().Name}");
        return new ConsoleAssets(files.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public bool TryGet(string name, [NotNullWhen(true)] out ConsoleAsset? asset) => _files.TryGetValue(name, out asset);
}

/// <summary>One embedded file, its type and a strong ETag over its bytes.</summary>
public sealed record ConsoleAsset(byte[] Content, string ContentType, string ETag);
