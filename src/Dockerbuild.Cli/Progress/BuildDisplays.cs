using Dockerbuild.Cli.Commands;

namespace Dockerbuild.Cli.Progress;

/// <summary>
/// Chooses the build display as buildx does for <c>--progress</c>: auto is the live tty display when
/// standard error is a terminal (and TERM is not "dumb"), plain lines otherwise, as in CI logs; quiet
/// shows nothing.
/// </summary>
internal static class BuildDisplays
{
    public static BuildProgressMode ParseMode(string? text) => text?.ToLowerInvariant() switch
    {
        null or "" or "auto" => BuildProgressMode.Auto,
        "plain" or "rawjson" => BuildProgressMode.Plain,
        "tty" => BuildProgressMode.Tty,
        "quiet" => BuildProgressMode.Quiet,
        _ => throw new ArgumentException($"invalid progress mode \"{text}\" (expected auto, plain, tty or quiet)", nameof(text)),
    };

    /// <summary>buildx's default for --progress: BUILDKIT_PROGRESS when it names a mode, else auto.</summary>
    public static string DefaultMode(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var value = environment("BUILDKIT_PROGRESS");
        return value?.ToLowerInvariant() is "auto" or "plain" or "tty" or "quiet" or "rawjson" ? value.ToLowerInvariant() : "auto";
    }

    /// <param name="isTerminal">Whether <paramref name="writer"/> is a terminal (the process's stderr not redirected).</param>
    /// <param name="term">The TERM variable.</param>
    public static IBuildDisplay? Create(BuildProgressMode mode, TextWriter writer, bool isTerminal, string? term, Func<ConsoleSize> size) => mode switch
    {
        BuildProgressMode.Quiet => null,
        BuildProgressMode.Tty => new TtyProgress(writer, size),
        BuildProgressMode.Auto when isTerminal && term != "dumb" => new TtyProgress(writer, size),
        _ => new PlainProgress(writer),
    };

    /// <summary>The real process: a terminal only when the writer is the console's own stderr and that is not redirected.</summary>
    public static IBuildDisplay? ForProcess(BuildProgressMode mode, TextWriter error) =>
        Create(mode, error, ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected, Environment.GetEnvironmentVariable("TERM"), ConsoleSize.Current);
}
