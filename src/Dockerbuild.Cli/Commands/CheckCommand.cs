using System.CommandLine;
using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Checks;

namespace Dockerbuild.Cli.Commands;

/// <summary><c>dockerbuild check FILE...</c>: BuildKit's build checks, one finding a line.</summary>
internal sealed class CheckCommand : ICliCommand
{
    public Command Create()
    {
        var files = DockerfileInputs.FilesArgument("Dockerfiles to check");
        var buildArgs = new Option<string[]>("--build-arg")
        {
            Description = "NAME=VALUE, as given to the build (BUILDKIT_DOCKERFILE_CHECK configures the checks)",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("check", "Run BuildKit's build checks; prints file:line:col: Rule: message") { files, buildArgs };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var args = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parseResult.GetValue(buildArgs) ?? [])
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                args[eq < 0 ? pair : pair[..eq]] = eq < 0 ? Environment.GetEnvironmentVariable(pair) ?? "" : pair[(eq + 1)..];
            }

            var (loaded, failed) = await DockerfileInputs.LoadAsync(
                parseResult.GetRequiredValue(files), parseResult.InvocationConfiguration.Error, cancellationToken);
            foreach (var file in loaded)
            {
                IReadOnlyList<CheckFinding> findings;
                try
                {
                    findings = BuildChecks.Run(file.Syntax, file.Bound, args);
                }
                catch (DockerfileException e)
                {
                    await parseResult.InvocationConfiguration.Error.WriteLineAsync(e.Message);
                    failed = true;
                    continue;
                }

                foreach (var finding in findings)
                {
                    await output.WriteLineAsync(finding.ToString());
                    failed |= finding.IsError;
                }
            }

            return failed ? CommandLineApp.Failure : CommandLineApp.Success;
        });
        return command;
    }
}
