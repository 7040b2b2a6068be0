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
        using var signals = new ProcessSignals(cancel);
        return await CommandLineApp.RunAsync(CreateCommands(CliHost.Process() with { Signals = signals }), args, Console.Out, Console.Error, cancel.Token);
    }
}
