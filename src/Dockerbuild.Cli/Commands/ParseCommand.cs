using System.CommandLine;
using System.Text.Json;
using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Cli.Commands;

/// <summary><c>dockerbuild parse [--format json|buildkit] FILE...</c>: parse and bind, print the result.</summary>
internal sealed class ParseCommand : ICliCommand
{
    public Command Create()
    {
        var format = new Option<string>("--format", "-f")
        {
            Description = "json: the typed instructions with their spans; buildkit: BuildKit's parser test dump",
            DefaultValueFactory = _ => "json",
        };
        format.AcceptOnlyFromAmong("json", "buildkit");
        var files = DockerfileInputs.FilesArgument("Dockerfiles to parse");

        var command = new Command("parse", "Parse Dockerfiles and bind them to typed instructions") { format, files };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var (loaded, anyFailed) = await DockerfileInputs.LoadAsync(
                parseResult.GetRequiredValue(files), parseResult.InvocationConfiguration.Error, cancellationToken);
            if (parseResult.GetRequiredValue(format) == "buildkit")
            {
                foreach (var file in loaded)
                {
                    if (loaded.Count > 1)
                    {
                        await output.WriteLineAsync($"==> {file.File} <==");
                    }

                    await output.WriteAsync(AstDump.Format(file.Syntax));
                }
            }
            else if (loaded.Count > 0)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(loaded.Select(f => f.Bound).ToList(), ParseJsonContext.Default.IReadOnlyListBoundDockerfile));
            }

            return anyFailed ? CommandLineApp.Failure : CommandLineApp.Success;
        });
        return command;
    }
}
