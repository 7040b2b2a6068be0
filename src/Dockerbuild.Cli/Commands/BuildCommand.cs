using System.CommandLine;
using Dockerbuild.Cli.Commands.Images;
using Dockerbuild.Cli.Progress;
using Dockerbuild.Engine;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Cli.Commands;

/// <summary><c>dockerbuild build [OPTIONS] CONTEXT</c>: docker buildx build into the local image store.</summary>
internal sealed class BuildCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var context = new Argument<string>("context") { Description = "The build context directory, or - for a tar on stdin" };
        var file = new Option<string?>("--file", "-f") { Description = "The Dockerfile (default: CONTEXT/Dockerfile)" };
        var tags = new Option<string[]>("--tag", "-t") { Description = "Name and optionally a tag (name:tag); repeatable", AllowMultipleArgumentsPerToken = false };
        var buildArgs = new Option<string[]>("--build-arg") { Description = "Build-time variable NAME=VALUE (NAME alone takes the environment's)", AllowMultipleArgumentsPerToken = false };
        var target = new Option<string?>("--target") { Description = "The stage to build" };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not use the cache" };
        var noCacheFilter = new Option<string[]>("--no-cache-filter") { Description = "Do not use the cache for these stages", AllowMultipleArgumentsPerToken = false };
        var pull = new Option<bool>("--pull") { Description = "Always pull referenced images" };
        var labels = new Option<string[]>("--label") { Description = "Metadata KEY=VALUE for the image", AllowMultipleArgumentsPerToken = false };
        var platform = new Option<string[]>("--platform") { Description = "Set target platform(s) for build: os/arch[/variant], comma-separated or repeated for a multi-platform image (linux/amd64 natively; others through a binfmt_misc emulator)", AllowMultipleArgumentsPerToken = false };
        var secrets = new Option<string[]>("--secret") { Description = "id=ID,src=PATH or id=ID,env=VAR", AllowMultipleArgumentsPerToken = false };
        var ssh = new Option<string[]>("--ssh") { Description = "default|ID[=SOCKET|KEY[,KEY]]: an ssh agent socket or private keys for RUN --mount=type=ssh (default: $SSH_AUTH_SOCK)", AllowMultipleArgumentsPerToken = false };
        var buildContexts = new Option<string[]>("--build-context") { Description = "NAME=PATH or NAME=docker-image://REF", AllowMultipleArgumentsPerToken = false };
        var progress = new Option<string>("--progress") { Description = "auto (tty on a terminal, else plain), plain, tty or quiet", DefaultValueFactory = _ => BuildDisplays.DefaultMode(Environment.GetEnvironmentVariable) };
        progress.AcceptOnlyFromAmong("auto", "plain", "quiet", "tty", "rawjson");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the image ID" };
        var iidfile = new Option<string?>("--iidfile") { Description = "Write the image ID to this file" };
        var metadataFile = new Option<string?>("--metadata-file") { Description = "Write build result metadata to this file (buildx's JSON)" };
        var outputs = new Option<string[]>("--output", "-o") { Description = "type=oci,dest=DIR | type=docker,dest=FILE | type=registry", AllowMultipleArgumentsPerToken = false };
        var push = new Option<bool>("--push") { Description = "Push the tags to their registries (--output type=registry)" };
        var runtime = RuntimeOption.Create();
        var allow = new Option<string[]>("--allow") { Description = "Allow extra privileged entitlement (network.host, security.insecure)", AllowMultipleArgumentsPerToken = false };
        allow.Validators.Add(result =>
        {
            foreach (var value in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (value is not ("network.host" or "security.insecure"))
                {
                    result.AddError($"invalid entitlement: {value}");
                }
            }
        });

        var command = new Command("build", "Build an image from a Dockerfile")
        {
            context, file, tags, buildArgs, target, noCache, noCacheFilter, pull, labels, platform, secrets, ssh, buildContexts, progress, quiet, iidfile, metadataFile, outputs, push, allow, runtime,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var silent = parseResult.GetValue(quiet) || parseResult.GetValue(progress) == "quiet";
            string? stdinContext = null;
            var keyAgents = new List<SshKeyAgent>(); // agents holding --ssh key files, for this build only
            using var display = silent ? null : BuildDisplays.ForProcess(BuildDisplays.ParseMode(parseResult.GetValue(progress)), error);
            try
            {
                // As buildx: no stale image ID is left behind if this build fails.
                if (parseResult.GetValue(iidfile) is { } staleIid)
                {
                    File.Delete(staleIid);
                }

                var contextDirectory = parseResult.GetRequiredValue(context);
                if (contextDirectory == "-")
                {
                    stdinContext = await ExtractStdinAsync(host, cancellationToken);
                    contextDirectory = stdinContext;
                }

                var request = new BuildRequest
                {
                    ContextDirectory = Path.GetFullPath(contextDirectory),
                    DockerfilePath = parseResult.GetValue(file) is { } f ? Path.GetFullPath(f) : null,
                    BuildArgs = Pairs(parseResult.GetValue(buildArgs), fromEnvironment: true),
                    Target = parseResult.GetValue(target),
                    Tags = parseResult.GetValue(tags) ?? [],
                    NoCache = parseResult.GetValue(noCache),
                    NoCacheFilter = parseResult.GetValue(noCacheFilter) ?? [],
                    Pull = parseResult.GetValue(pull),
                    Labels = Pairs(parseResult.GetValue(labels), fromEnvironment: false),
                    // As buildx: repeated flags and comma-separated lists add up.
                    Platform = parseResult.GetValue(platform) is { Length: > 0 } asked ? string.Join(",", asked) : null,
                    Secrets = [.. (parseResult.GetValue(secrets) ?? []).Select(BuildSecret.Parse)],
                    Ssh = await SshKeyAgent.ServeKeysAsync([.. (parseResult.GetValue(ssh) ?? []).Select(s => BuildSshAgent.Parse(s, Environment.GetEnvironmentVariable))], keyAgents, cancellationToken),
                    NamedContexts = Pairs(parseResult.GetValue(buildContexts), fromEnvironment: false),
                    Outputs = [.. parseResult.GetValue(outputs) ?? [], .. parseResult.GetValue(push) ? ["type=registry"] : Array.Empty<string>()],
                    Allow = parseResult.GetValue(allow) ?? [],
                };
                BuildPlanner.CheckPlatform(request.Platform);

                // The global --root and --debug, and docker's credentials, as the image commands take them.
                var images = new ImageCommandContext(parseResult, host);
                using var registry = images.CreateRegistryClient();
                var builder = new ImageBuilder(images.Store, new BuildEngineOptions { Progress = display, Registry = registry, Runtime = RuntimeOption.Resolve(parseResult.GetValue(runtime)) });
                var result = await builder.BuildAsync(request, cancellationToken);

                var id = BuildMetadata.ImageId(result);
                if (silent)
                {
                    await output.WriteLineAsync(id);
                }
                else
                {
                    display?.Finish(id, [.. result.Tags.Select(t => t.ToString())], result.ManifestDigest.ToString(),
                        result.IsIndex ? [.. result.Platforms.Select(p => p.ManifestDigest.ToString())] : null);
                }

                if (parseResult.GetValue(iidfile) is { } iid)
                {
                    await File.WriteAllTextAsync(iid, id, cancellationToken);
                }

                if (parseResult.GetValue(metadataFile) is { } metadata)
                {
                    await BuildMetadata.WriteAsync(metadata, result, DateTimeOffset.UtcNow, cancellationToken);
                }

                return CommandLineApp.Success;
            }
            catch (BuildStepException e)
            {
                display?.Fail();
                foreach (var line in e.OutputTail)
                {
                    await error.WriteLineAsync(line);
                }

                await error.WriteLineAsync("ERROR: " + e.Message);
                return CommandLineApp.Failure;
            }
            catch (Exception e) when (e is BuildException or Dockerfile.DockerfileException or ContainerRuntimeException or MountException or ImageNotFoundException or RegistryException or UnsafeLayerException)
            {
                display?.Fail();
                await error.WriteLineAsync("ERROR: " + e.Message);
                return CommandLineApp.Failure;
            }
            finally
            {
                foreach (var agent in keyAgents)
                {
                    await agent.DisposeAsync();
                }

                if (stdinContext is not null)
                {
                    Directory.Delete(stdinContext, recursive: true);
                }
            }
        });
        return command;
    }

    /// <summary><c>docker build -</c> with a tar: the context (plain, gzip or zstd tar) is unpacked safely into a private directory.</summary>
    private static async Task<string> ExtractStdinAsync(CliHost host, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Building needs Linux.");
        }

        var directory = Directory.CreateTempSubdirectory("dockerbuild-context-").FullName;
        await using var stdin = host.OpenStandardInput();
        await LayerExtractor.ExtractAsync(stdin, directory, new LayerExtractOptions { AsRoot = false }, cancellationToken);
        return directory;
    }

    private static Dictionary<string, string> Pairs(string[]? values, bool fromEnvironment)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in values ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                if (fromEnvironment && Environment.GetEnvironmentVariable(pair) is { } value)
                {
                    pairs[pair] = value;
                }
                else if (!fromEnvironment)
                {
                    pairs[pair] = "";
                }

                continue;
            }

            pairs[pair[..eq]] = pair[(eq + 1)..];
        }

        return pairs;
    }
}
