namespace LiveHost.Perf.Cli;

/// <summary>One benchmark, run as <c>LiveHost.Perf &lt;Name&gt; [options]</c>.</summary>
public interface IBenchmarkCommand
{
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>The options, for --help.</summary>
    string Usage { get; }

    /// <returns>The process exit code.</returns>
    Task<int> RunAsync(CommandArguments arguments, CancellationToken cancellationToken);
}
