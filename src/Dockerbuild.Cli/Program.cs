using Dockerbuild.Cli.Commands;

namespace Dockerbuild.Cli;

internal static class Program
{
    /// <summary>The registry of commands: one class per command under Commands/.</summary>
    internal static IReadOnlyList<ICliCommand> Commands =>
    [
        new ParseCommand(),
        new CheckCommand(),
        new BuildCommand(),
    ];

    private static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        return await CommandLineApp.RunAsync(Commands, args, Console.Out, Console.Error, cancel.Token);
    }
}
