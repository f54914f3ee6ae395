using System.Diagnostics;
using LiveHost.Avatars.Packages;
using LiveHost.Host.Avatars;
using Xunit.Abstractions;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>The real server process, started on a package it must refuse: one line on stderr and exit code 77.</summary>
[Collection(AvatarHostCollection.Name)]
public sealed class RefusedPackageExitTests(SyntheticAvatarPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task A_refused_package_ends_the_server_with_one_line_and_exit_code_77()
    {
        var revocations = package.NewRevocationList();
        ConsentRevocationList.Write(revocations,
            [new ConsentRevocationList.RevocationEntry { ConsentId = SyntheticAvatarPackage.ConsentId, Reason = "withdrawn before the show" }]);
        var data = Directory.CreateTempSubdirectory("livehost-exit-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LiveHost.Host.dll"));
        foreach (var (key, value) in package.Settings(revocations))
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.ArgumentList.Add($"--Storage:DataDirectory={data}");
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Directory.Delete(data, recursive: true);
        }
        var errorText = await stderr;
        var outText = await stdout;
        output.WriteLine($"exit {process.ExitCode}; stderr:\n{errorText}\nstdout:\n{outText}");

        Assert.Equal(AvatarStartupRefusal.ExitCode, process.ExitCode);
        var line = Assert.Single(errorText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("livehost: not starting: Avatar package ", line, StringComparison.Ordinal);
        Assert.Contains("refused (ConsentRevoked)", line, StringComparison.Ordinal);
        Assert.Contains("withdrawn before the show", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", outText + errorText, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outText + errorText, StringComparison.Ordinal);
    }
}
