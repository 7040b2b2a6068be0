using System.CommandLine;
using System.Text.RegularExpressions;
using Dockerbuild.Cli.Commands.Images;
using Dockerbuild.Engine;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Cli.Commands;

/// <summary>
/// <c>dockerbuild run [OPTIONS] IMAGE [COMMAND] [ARG...]</c>: docker run for a one-off container, with
/// the runtime builds use. Its exit code is the container's, or docker's 125 (our error), 126 (command
/// not executable) and 127 (command not found).
/// </summary>
internal sealed partial class RunCommand(CliHost host) : ICliCommand
{
    private static readonly HashSet<string> ValueOptions = ["-e", "--env", "--entrypoint", "-w", "--workdir", "-u", "--user", "--network", "--name", RuntimeOption.Name];

    public Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "The image to run (pulled when not in the local store)" };
        var arguments = new Argument<string[]>("COMMAND") { Description = "The command and its arguments, replacing the image's CMD", Arity = ArgumentArity.ZeroOrMore };
        var remove = new Option<bool>("--rm") { Description = "Accepted for docker compatibility: the container is always removed when it exits" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set environment variable KEY=VALUE (KEY alone takes this environment's value)", AllowMultipleArgumentsPerToken = false };
        var entrypoint = new Option<string?>("--entrypoint") { Description = "Overwrite the default ENTRYPOINT of the image (\"\" clears it)" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory inside the container" };
        var user = new Option<string?>("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])" };
        var network = new Option<string>("--network") { Description = "default (the host's network, as builds use), none or host", DefaultValueFactory = _ => "default" };
        network.AcceptOnlyFromAmong("default", "none", "host");
        var name = new Option<string?>("--name") { Description = "Assign a name to the container (checked as docker does; nothing is kept under it)" };
        var sigProxy = new Option<bool>("--sig-proxy") { Description = "Proxy received signals to the process (false: Ctrl+C and SIGTERM kill the container)", DefaultValueFactory = _ => true };
        var runtime = RuntimeOption.Create();
        var command = new Command("run", "Create and run a new container from an image, removing it when it exits")
        {
            image, arguments, remove, env, entrypoint, workdir, user, network, name, sigProxy, runtime,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = new ImageCommandContext(parseResult, host);
            if (OperatingSystem.IsWindows())
            {
                await context.Error.WriteLineAsync("dockerbuild: run needs Linux");
                return ContainerRunException.RunError;
            }

            if (parseResult.GetValue(name) is { } containerName && !ContainerName().IsMatch(containerName))
            {
                await context.Error.WriteLineAsync($"dockerbuild: Invalid container name ({containerName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
                return ContainerRunException.RunError;
            }

            // docker run's default: signals go to the container's process, and the run ends with its exit
            // code once it exits (see ProcessSignals); before it starts they cancel the run.
            var signals = parseResult.GetValue(sigProxy) ? new ContainerSignals() : null;
            using var proxying = signals is null ? null : host.Signals?.Proxy(signals);
            var request = new RunRequest
            {
                Image = parseResult.GetRequiredValue(image),
                Command = parseResult.GetValue(arguments) ?? [],
                Entrypoint = parseResult.GetValue(entrypoint),
                Env = [.. (parseResult.GetValue(env) ?? []).SelectMany(HostValue)],
                WorkingDirectory = parseResult.GetValue(workdir),
                User = parseResult.GetValue(user),
                Network = parseResult.GetValue(network) switch
                {
                    "none" => NetworkMode.None,
                    "host" => NetworkMode.Host,
                    _ => NetworkMode.Default,
                },
                Signals = signals,
            };
            try
            {
                if (await context.Store.FindAsync(request.Image, cancellationToken) is null)
                {
                    await context.Error.WriteLineAsync($"Unable to find image '{request.Image}' locally");
                }

                using var registry = context.CreateRegistryClient();
                var runner = new ImageRunner(context.Store, new BuildEngineOptions { Registry = registry, Runtime = RuntimeOption.Resolve(parseResult.GetValue(runtime)) });
                return await runner.RunAsync(request, async line =>
                {
                    var writer = line.Stream == OutputStream.Stdout ? context.Output : context.Error;
                    await writer.WriteLineAsync(line.Text);
                    await writer.FlushAsync(CancellationToken.None);
                }, cancellationToken);
            }
            catch (ContainerRunException e)
            {
                await context.Error.WriteLineAsync("dockerbuild: " + ImageCommandAction.OneLine(e.Message));
                return e.ExitCode;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested
                && (e is BuildException or ContainerRuntimeException or MountException or UnsafeLayerException or RegistryException or ImageNotFoundException or IOException))
            {
                await context.Error.WriteLineAsync("dockerbuild: " + ImageCommandAction.OneLine(e.Message));
                return ContainerRunException.RunError;
            }
        });
        return command;
    }

    /// <summary>
    /// docker stops reading its own options at the image: <c>run IMAGE ls -l</c> passes <c>-l</c> to
    /// ls. The parser has no such rule, so a <c>--</c> is put after the image of a run command.
    /// </summary>
    public static string[] SeparateContainerCommand(string[] args)
    {
        var i = 0;
        // Global options before the subcommand: only --root takes a value.
        while (i < args.Length && args[i].StartsWith('-'))
        {
            i += args[i] == CommandLineApp.RootOption ? 2 : 1;
        }

        if (i >= args.Length || args[i] != "run")
        {
            return args;
        }

        for (i++; i < args.Length; i++)
        {
            if (args[i] == "--")
            {
                return args;
            }

            if (!args[i].StartsWith('-') || args[i] == "-")
            {
                return i + 1 < args.Length && args[i + 1] == "--" ? args : [.. args[..(i + 1)], "--", .. args[(i + 1)..]];
            }

            if (ValueOptions.Contains(args[i]) || args[i] == CommandLineApp.RootOption)
            {
                i++;
            }
        }

        return args;
    }

    // -e NAME takes this process's value, and is left out when it has none (docker's rule).
    private IEnumerable<string> HostValue(string entry) =>
        entry.Contains('=', StringComparison.Ordinal) ? [entry]
        : host.Environment(entry) is { } value ? [entry + "=" + value]
        : [];

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex ContainerName();
}
