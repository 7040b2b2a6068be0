using Dockerbuild.Cli;
using Dockerbuild.Cli.Commands;

// The registry of commands: one class per command under Commands/.
ICliCommand[] commands =
[
    new ParseCommand(),
    new CheckCommand(),
];

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await CommandLineApp.RunAsync(commands, args, Console.Out, Console.Error, cancel.Token);
