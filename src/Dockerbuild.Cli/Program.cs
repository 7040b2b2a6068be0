using Dockerbuild.Cli.Commands;
using Dockerbuild.Cli.Commands.Images;
using Dockerbuild.Cli.Commands.Prune;

namespace Dockerbuild.Cli;

internal static class Program
{
    /// <summary>The registry of commands: one class per command under Commands/.</summary>
    internal static IReadOnlyList<ICliCommand> Commands => CreateCommands(CliHost.Process());

    /// <summary>The commands, with the image commands bound to <paramref name="host"/> (tests give their own).</summary>
    internal static IReadOnlyList<ICliCommand> CreateCommands(CliHost host) =>
    [
        new ParseCommand(),
        new CheckCommand(),
        new BuildCommand(host),
        new RunCommand(host),
        new PullCommand(host),
        new PushCommand(host),
        new ImagesCommand(host),
        new TagCommand(host),
        new RmiCommand(host),
        new SaveCommand(host),
        new LoadCommand(host),
        new ImportCommand(host),
        new InspectCommand(host),
        new HistoryCommand(host),
        new ImageCommand(host),
        new LoginCommand(host),
        new LogoutCommand(host),
        new SearchCommand(host),
        new GroupCommand("builder", "Manage builds", new BuilderPruneCommand(host)),
        new GroupCommand("system", "Manage Dockerbuild", new SystemPruneCommand(host)),
    ];

    private static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        // SIGTERM stops a build or run like Ctrl+C, so its container is killed and its snapshot removed.
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });

        return await CommandLineApp.RunAsync(Commands, args, Console.Out, Console.Error, cancel.Token);
    }
}
