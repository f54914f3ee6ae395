using System.Diagnostics;
using System.Text.Json;
using LiveHost.Engine.Lines;
using LiveHost.Host.Configuration;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHost.Host.Tests.Startup;

/// <summary>
/// The first five minutes of a new user: the server started the way <c>scripts/run.sh</c> starts it (the built app,
/// run from its project folder as <c>dotnet run --project</c> does, or from anywhere), and the README's own commands.
/// </summary>
public sealed class FirstStartTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_readme_send_a_line_commands_work_pasted_literally_against_a_server_started_like_run_sh()
    {
        var script = SendALineCommands(await File.ReadAllTextAsync(Path.Combine(ScratchCheckout.RealRoot, "README.md")));
        Assert.Contains(ListenAddress.Default, script);
        using var checkout = ScratchCheckout.Create();
        // Port 0: the test binds whatever is free and puts that address where the README says 127.0.0.1:8080.
        await using var server = HostProcess.Start(checkout.HostDll, checkout.ProjectDirectory,
            new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" });
        var address = (await server.Listening.WaitAsync(StartTimeout)).GetLeftPart(UriPartial.Authority);

        var key = (await File.ReadAllTextAsync(Path.Combine(checkout.Root, "data", "admin.key"))).Trim();
        var finished = new TaskCompletionSource<Line>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ticketId = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(address + "/hubs/control", o => o.AccessTokenProvider = () => Task.FromResult<string?>(key))
            .Build();
        hub.On<Line>("LineFinished", async line =>
        {
            if (line.Id == await ticketId.Task) finished.TrySetResult(line);
        });
        await hub.StartAsync();

        var (exitCode, output, errors) = await RunBashAsync(script.Replace(ListenAddress.Default, address, StringComparison.Ordinal), checkout.Root);

        Assert.True(exitCode == 0, $"the README commands failed ({exitCode}): {errors}\n{output}");
        var (ticket, state) = TwoJsonValues(output);
        Assert.Equal("main", ticket.GetProperty("room").GetString());
        Assert.Equal("main", state.GetProperty("room").GetString());
        ticketId.SetResult(ticket.GetProperty("id").GetString()!);
        var line = await finished.Task.WaitAsync(LineTimeout);
        Assert.Equal(("Welcome to the show!", FinishReason.Completed), (line.Text, line.Reason));
        Assert.False(Directory.Exists(Path.Combine(checkout.ProjectDirectory, "data")), "a data folder was made in the project folder");
    }

    [Fact]
    public async Task Started_from_any_working_directory_with_no_address_set_it_uses_127_0_0_1_8080_and_the_checkouts_data_folder()
    {
        using var checkout = ScratchCheckout.Create();
        await using var server = HostProcess.Start(checkout.HostDll, "/", new Dictionary<string, string>());

        try
        {
            var address = await server.Listening.WaitAsync(StartTimeout);
            Assert.Equal(new Uri(ListenAddress.Default), address);
        }
        catch (InvalidOperationException) when (server.Exited.IsCompleted)
        {
            // Something else holds 8080 on this machine: then the server must have tried that very address.
            Assert.Contains("127.0.0.1:8080", server.Output, StringComparison.Ordinal);
            Assert.Contains("address already in use", server.Output, StringComparison.OrdinalIgnoreCase);
        }

        Assert.True(File.Exists(Path.Combine(checkout.Root, "data", "admin.key")), "no data/admin.key at the checkout's root:\n" + server.Output);
    }

    [Fact]
    public void The_send_a_line_commands_are_the_indented_block_under_the_readmes_heading()
    {
        const string readme = "# X\n\n## Send a line\n\n    A=1\n    echo \\\n      $A\n\nWith more:\n\n    not this\n";

        Assert.Equal("A=1\necho \\\n  $A", SendALineCommands(readme));
    }

    /// <summary>The first indented code block under "## Send a line", without its indent.</summary>
    private static string SendALineCommands(string readme)
    {
        var lines = readme.ReplaceLineEndings("\n").Split('\n');
        var heading = Array.IndexOf(lines, "## Send a line");
        Assert.True(heading >= 0, "README.md has no '## Send a line' heading");
        var block = lines.Skip(heading + 1).SkipWhile(string.IsNullOrWhiteSpace).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal))
            .Select(l => l[4..]).ToArray();
        Assert.NotEmpty(block);
        return string.Join('\n', block);
    }

    private static (JsonElement First, JsonElement Second) TwoJsonValues(string text)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        using var first = JsonDocument.ParseValue(ref reader);
        Assert.True(reader.Read(), "only one JSON value in: " + text);
        using var second = JsonDocument.ParseValue(ref reader);
        return (first.RootElement.Clone(), second.RootElement.Clone());
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunBashAsync(string script, string workingDirectory)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-ec");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(LineTimeout);
        return (process.ExitCode, await output, await errors);
    }
}
