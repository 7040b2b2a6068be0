using System.CommandLine;
using Dockerbuild.Cli.Commands;
using Dockerbuild.Dockerfile;

namespace Dockerbuild.Cli;

/// <summary>
/// Builds the root command from the registered commands and runs it. Every failure a user can act on
/// ends as one line on stderr and a non-zero exit code, never a stack trace.
/// </summary>
internal static class CommandLineApp
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;
    public const int InternalError = 70;
    public const int Cancelled = 130;

    /// <summary>The global options' names, for <c>ParseResult.GetValue&lt;T&gt;(name)</c>.</summary>
    public const string DebugOption = "--debug";
    public const string RootOption = "--root";

    public static RootCommand CreateRoot(IEnumerable<ICliCommand> commands)
    {
        var root = new RootCommand("Build OCI and Docker images from Dockerfiles without a Docker daemon.")
        {
            // Global, as docker's: every subcommand reads them by name.
            new Option<bool>(DebugOption, "-D") { Description = "Trace registry requests on stderr (credentials redacted)", Recursive = true },
            new Option<string>(RootOption) { Description = "Directory of the local image store (default $DOCKERBUILD_ROOT, else $XDG_DATA_HOME/dockerbuild)", Recursive = true },
        };
        foreach (var command in commands)
        {
            root.Add(command.Create());
        }

        return root;
    }

    public static async Task<int> RunAsync(
        IEnumerable<ICliCommand> commands, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var parseResult = CreateRoot(commands).Parse(RunCommand.SeparateContainerCommand(args));
        if (parseResult.Errors.Count > 0)
        {
            var message = string.Join(' ', parseResult.Errors[0].Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            await error.WriteLineAsync($"dockerbuild: {message} (see 'dockerbuild --help')");
            return UsageError;
        }

        // Program handles Ctrl+C and SIGTERM through cancellationToken; the parser's own handling would end
        // the process after a timeout, before a cancelled run had killed its container and removed its snapshot.
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
        catch (DockerfileException e)
        {
            await error.WriteLineAsync(e.Message);
            return Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("dockerbuild: cancelled");
            return Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"dockerbuild: {e.Message}");
            return Failure;
        }
        catch (Exception e)
        {
            // A bug, not a user error: still one line, naming the exception so it can be reported.
            await error.WriteLineAsync($"dockerbuild: internal error: {e.GetType().Name}: {e.Message}");
            return InternalError;
        }
    }
}
