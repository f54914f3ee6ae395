using LiveHost.Perf.Cli;
using LiveHost.Perf.Foundation;

// One sub-command per benchmark; each lives in its own folder and registers here.
var dispatcher = new CommandDispatcher(
[
    new FoundationCommand(),
]);
return await dispatcher.RunAsync(args);
