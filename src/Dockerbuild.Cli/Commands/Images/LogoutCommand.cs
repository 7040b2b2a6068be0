using System.CommandLine;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Registry;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary><c>dockerbuild logout [SERVER]</c>: forgets the stored credentials (helper and config.json).</summary>
internal sealed class LogoutCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var server = new Argument<string?>("SERVER") { Description = "The registry (default docker.io)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("logout", "Log out from a registry") { server };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var registry = context.ParseResult.GetValue(server) is { Length: > 0 } s ? RegistryHosts.Normalize(s) : ImageReference.DockerHub;
            var key = RegistryHosts.ConfigKey(registry);
            var erased = await context.Credentials.EraseAsync(registry, cancellationToken);
            await context.Output.WriteLineAsync(erased ? $"Removing login credentials for {key}" : $"Not logged in to {key}");
            return CommandLineApp.Success;
        });
        return command;
    }
}
