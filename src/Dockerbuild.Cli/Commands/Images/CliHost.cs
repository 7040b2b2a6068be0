namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// What the image commands take from the process besides their text writers: environment variables,
/// the binary standard streams and whether they are terminals. Tests give their own, so commands run
/// in-process with a private store, docker config and stdin.
/// </summary>
internal sealed record CliHost(
    Func<string, string?> Environment,
    Func<Stream> OpenStandardInput,
    Func<Stream> OpenStandardOutput,
    bool IsInputTerminal,
    bool IsOutputTerminal)
{
    /// <summary>The process's signal handling, for run's signal proxy; null in tests that run commands in-process.</summary>
    public ProcessSignals? Signals { get; init; }

    /// <summary>The real process.</summary>
    public static CliHost Process() => new(
        System.Environment.GetEnvironmentVariable,
        Console.OpenStandardInput,
        Console.OpenStandardOutput,
        !Console.IsInputRedirected,
        !Console.IsOutputRedirected);
}
