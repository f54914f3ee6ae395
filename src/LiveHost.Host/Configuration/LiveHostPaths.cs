namespace LiveHost.Host.Configuration;

/// <summary>
/// Where the server looks for its files, the same however it is started: <c>scripts/run.sh</c>,
/// <c>dotnet run --project src/LiveHost.Host</c> (whose working directory is the project's), or
/// <c>dotnet .../LiveHost.Host.dll</c> from any working directory. The working directory never matters.
/// <list type="bullet">
/// <item>Content root (where <c>appsettings.json</c> is read): the app's own directory, where the build copies
/// <c>appsettings.json</c>; <c>ASPNETCORE_CONTENTROOT</c> or <c>--contentRoot</c> still name another.</item>
/// <item><see cref="Root"/>, against which relative paths in settings resolve (<c>Storage:DataDirectory</c>,
/// <c>Avatars:VisemeModelPath</c>, <c>Avatars:RevocationListPath</c>, <c>Avatars:TrustedKeys</c>, a room's avatar
/// package, <c>Encoder:FfmpegFolder</c>): the checkout, i.e. the nearest directory holding <c>LiveHost.sln</c> above
/// the app's directory; an app with none above it (published elsewhere) uses its content root. Absolute paths are
/// kept as they are.</item>
/// </list>
/// </summary>
public sealed class LiveHostPaths
{
    public const string SolutionFile = "LiveHost.sln";

    public LiveHostPaths(string root) => Root = Path.GetFullPath(root);

    /// <summary>The directory relative setting paths start from (absolute).</summary>
    public string Root { get; }

    /// <summary>The checkout above <paramref name="appDirectory"/>, else <paramref name="contentRoot"/>.</summary>
    public static LiveHostPaths Discover(string appDirectory, string contentRoot) => new(FindCheckout(appDirectory) ?? contentRoot);

    /// <summary>The nearest directory at or above <paramref name="start"/> that holds <see cref="SolutionFile"/>; null if none.</summary>
    public static string? FindCheckout(string start)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile))) return directory.FullName;
        }
        return null;
    }

    /// <summary>
    /// The content root to start with: the app's directory, or null (the host's own rule) when the environment or the
    /// command line names one.
    /// </summary>
    public static string? DefaultContentRoot(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(environment("ASPNETCORE_CONTENTROOT")) || !string.IsNullOrEmpty(environment("DOTNET_CONTENTROOT"))) return null;
        foreach (var arg in args)
        {
            var name = arg.TrimStart('-', '/');
            if (name.StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase)) return null;
        }
        return AppContext.BaseDirectory;
    }

    /// <summary>An absolute path: <paramref name="path"/> itself when rooted, else under <see cref="Root"/>.</summary>
    public string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Root, path));
}
