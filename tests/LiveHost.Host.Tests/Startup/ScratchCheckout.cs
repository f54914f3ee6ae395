using LiveHost.Host.Configuration;

namespace LiveHost.Host.Tests.Startup;

/// <summary>
/// A throwaway copy of a checkout as far as the server can tell: a <c>LiveHost.sln</c> at its root and the built host
/// under <c>src/LiveHost.Host/bin/{configuration}/{framework}/</c>, where <c>dotnet run</c> puts it. Files are copied;
/// the 700 MB <c>runtimes/</c> folder of native libraries is linked. Whatever the server writes (<c>data/</c>) lands
/// here, not in the real checkout.
/// </summary>
public sealed class ScratchCheckout : IDisposable
{
    private ScratchCheckout(string root, string appDirectory)
    {
        Root = root;
        AppDirectory = appDirectory;
    }

    /// <summary>The checkout's root (where README.md's commands are run from).</summary>
    public string Root { get; }

    /// <summary>The project folder: <c>dotnet run --project src/LiveHost.Host</c> runs the app from here.</summary>
    public string ProjectDirectory => Path.Combine(Root, "src", "LiveHost.Host");

    /// <summary>The folder holding the copied LiveHost.Host.dll.</summary>
    public string AppDirectory { get; }

    public string HostDll => Path.Combine(AppDirectory, "LiveHost.Host.dll");

    /// <summary>The real checkout these tests were built from.</summary>
    public static string RealRoot =>
        LiveHostPaths.FindCheckout(AppContext.BaseDirectory) ?? throw new InvalidOperationException("LiveHost.sln not found above " + AppContext.BaseDirectory);

    public static ScratchCheckout Create()
    {
        // The test assembly sits in tests/X/bin/{configuration}/{framework}/: the host was built the same way.
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var builtHost = Path.Combine(RealRoot, "src", "LiveHost.Host", "bin", configuration, framework);
        if (!File.Exists(Path.Combine(builtHost, "LiveHost.Host.dll"))) throw new InvalidOperationException("the host is not built in " + builtHost);

        var root = Directory.CreateTempSubdirectory("livehost-checkout-").FullName;
        File.WriteAllText(Path.Combine(root, LiveHostPaths.SolutionFile), string.Empty);
        var app = Path.Combine(root, "src", "LiveHost.Host", "bin", configuration, framework);
        Directory.CreateDirectory(app);
        foreach (var file in Directory.EnumerateFiles(builtHost))
        {
            File.Copy(file, Path.Combine(app, Path.GetFileName(file)));
        }
        foreach (var folder in Directory.EnumerateDirectories(builtHost))
        {
            Directory.CreateSymbolicLink(Path.Combine(app, Path.GetFileName(folder)), folder);
        }
        return new ScratchCheckout(root, app);
    }

    public void Dispose()
    {
        // Links first, so deleting the scratch tree never follows them into the real build output.
        foreach (var link in Directory.EnumerateDirectories(AppDirectory).Where(d => new DirectoryInfo(d).LinkTarget is not null))
        {
            Directory.Delete(link);
        }
        Directory.Delete(Root, recursive: true);
    }
}
