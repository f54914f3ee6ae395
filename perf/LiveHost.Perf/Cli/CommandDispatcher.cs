namespace LiveHost.Perf.Cli;

/// <summary>Picks the benchmark named by the first argument and hands it the rest; Ctrl+C cancels the run.</summary>
public sealed class CommandDispatcher(IReadOnlyList<IBenchmarkCommand> commands)
{
    public async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintCommands();
            return args.Length == 0 ? 2 : 0;
        }
        var command = commands.FirstOrDefault(c => string.Equals(c.Name, args[0], StringComparison.OrdinalIgnoreCase));
        if (command is null)
        {
            Console.Error.WriteLine($"unknown benchmark '{args[0]}'");
            PrintCommands();
            return 2;
        }
        if (args.Skip(1).Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine($"LiveHost.Perf {command.Name}: {command.Summary}");
            Console.WriteLine(command.Usage);
            return 0;
        }

        CommandArguments arguments;
        try
        {
            arguments = CommandArguments.Parse(args.AsSpan(1));
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(command.Usage);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            return await command.RunAsync(arguments, cancel.Token);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(command.Usage);
            return 2;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
    }

    private void PrintCommands()
    {
        Console.WriteLine("usage: dotnet run -c Release --project perf/LiveHost.Perf -- <benchmark> [options]");
        Console.WriteLine("benchmarks:");
        foreach (var c in commands) Console.WriteLine($"  {c.Name,-12} {c.Summary}");
    }
}
