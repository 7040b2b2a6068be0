using Dockerbuild.Engine.Caching;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// <c>docker run --rm</c> for one image: its layers stacked as a snapshot (the same extracted layer
/// directories and overlay a RUN uses), the process made from the image's config as docker does
/// (Entrypoint + Cmd, Env, WorkingDir, User, each overridable), run by the OCI runtime, and the
/// snapshot removed afterwards.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ImageRunner
{
    private readonly ImageStore store;
    private readonly BuildEngineOptions options;

    public ImageRunner(ImageStore store, BuildEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        this.store = store;
        this.options = options ?? new BuildEngineOptions();
    }

    /// <summary>The argv docker would run: Entrypoint then Cmd, the request overriding either.</summary>
    /// <exception cref="ContainerRunException">Neither gives a command.</exception>
    public static IReadOnlyList<string> Arguments(ContainerConfig config, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyList<string> entrypoint = request.Entrypoint is null ? config.Entrypoint ?? []
            : request.Entrypoint.Length == 0 ? []
            : [request.Entrypoint];
        IReadOnlyList<string> command = request.Command.Count > 0 ? request.Command
            : request.Entrypoint is null ? config.Cmd ?? []
            : [];
        IReadOnlyList<string> args = [.. entrypoint, .. command];
        return args.Count > 0 ? args : throw new ContainerRunException("no command specified", ContainerRunException.RunError);
    }

    /// <summary>The environment: HOSTNAME, the image's Env, a default PATH when it has none, then the request's entries by name.</summary>
    public static IReadOnlyList<string> Environment(ContainerConfig config, RunRequest request, string hostname)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(request);
        var env = new List<KeyValuePair<string, string>>();
        void Set(string entry)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = eq < 0 ? (entry, "") : (entry[..eq], entry[(eq + 1)..]);
            var index = env.FindIndex(pair => pair.Key == key);
            if (index >= 0)
            {
                env[index] = new(key, value);
            }
            else
            {
                env.Add(new(key, value));
            }
        }

        Set("HOSTNAME=" + hostname);
        foreach (var entry in config.Env ?? [])
        {
            Set(entry);
        }

        if (!env.Any(pair => pair.Key == "PATH"))
        {
            Set("PATH=" + RunHandler.DefaultPath);
        }

        foreach (var entry in request.Env)
        {
            Set(entry);
        }

        return [.. env.Select(pair => pair.Key + "=" + pair.Value)];
    }

    /// <summary>
    /// Runs the container to completion, streaming its output to <paramref name="onOutput"/>. Cancelling
    /// kills it; signals sent to the request's <see cref="RunRequest.Signals"/> are forwarded to it instead. A missing image is pulled when the options carry a registry client.
    /// </summary>
    /// <returns>The container process's exit code.</returns>
    /// <exception cref="ContainerRunException">The command could not be started (see its exit code).</exception>
    /// <exception cref="BuildException">The image is missing and could not be pulled.</exception>
    public async Task<int> RunAsync(RunRequest request, Func<OutputLine, ValueTask>? onOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.WorkingDirectory is { } workdir && !workdir.StartsWith('/'))
        {
            throw new ContainerRunException($"the working directory '{workdir}' is invalid, it needs to be an absolute path", ContainerRunException.RunError);
        }

        var root = store.Blobs.Root;
        using var inUse = await StoreUseLock.AcquireSharedAsync(root, cancellationToken).ConfigureAwait(false);
        var image = await new BaseImageResolver(store, options.Registry).ResolveAsync(request.Image, pull: false, Planning.BuildPlanner.Native, cancellationToken).ConfigureAwait(false);
        var config = image.Config.Value;
        var args = Arguments(config.Config, request);
        var runtime = options.Runtime ?? new RuncRuntime();
        var layers = new ExtractedLayers(store.Blobs, StorePaths.Layers(root));
        var lowers = await layers.GetTopFirstAsync(image.Layers, config.RootFs.DiffIds, cancellationToken).ConfigureAwait(false);
        var snapshot = await RootfsSnapshots.CreateAsync(lowers, StorePaths.Snapshots(root), options.Snapshots, cancellationToken).ConfigureAwait(false);
        await using (snapshot.ConfigureAwait(false))
        {
            ContainerUser user;
            try
            {
                user = await UserResolver.ResolveAsync(snapshot.RootfsPath, request.User ?? config.Config.User, cancellationToken).ConfigureAwait(false);
            }
            catch (UnknownUserException e)
            {
                throw new ContainerRunException(e.Message, ContainerRunException.RunError, e);
            }

            // docker's hostname is the container ID's first 12 hex digits.
            var hostname = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
            var spec = new ContainerSpec
            {
                RootfsPath = snapshot.RootfsPath,
                Args = args,
                Env = Environment(config.Config, request, hostname),
                WorkingDirectory = request.WorkingDirectory ?? (string.IsNullOrEmpty(config.Config.WorkingDir) ? "/" : config.Config.WorkingDir),
                User = user,
                Hostname = hostname,
                Network = request.Network,
                Signals = request.Signals,
            };
            // runc reports a failed exec on its stderr too; that line is held back, as the exception says it.
            var heldBack = new List<OutputLine>();
            async ValueTask Forward(OutputLine line)
            {
                if (line.Stream == OutputStream.Stderr && line.Text.StartsWith("runc run failed: ", StringComparison.Ordinal))
                {
                    heldBack.Add(line);
                }
                else if (onOutput is not null)
                {
                    await onOutput(line).ConfigureAwait(false);
                }
            }

            ContainerResult result;
            try
            {
                result = await runtime.RunAsync(spec, Forward, cancellationToken).ConfigureAwait(false);
            }
            catch (ContainerRuntimeException e)
            {
                throw new ContainerRunException(e.Message, StartFailureExitCode(e.Message), e);
            }

            foreach (var line in heldBack)
            {
                await (onOutput?.Invoke(line) ?? ValueTask.CompletedTask).ConfigureAwait(false);
            }

            return result.ExitCode;
        }
    }

    /// <summary>docker's exit codes for a command the runtime could not exec: 127 not found, 126 not executable.</summary>
    private static int StartFailureExitCode(string message) =>
        message.Contains("executable file not found", StringComparison.OrdinalIgnoreCase) || message.Contains("no such file or directory", StringComparison.OrdinalIgnoreCase)
            ? ContainerRunException.NotFound
            : message.Contains("permission denied", StringComparison.OrdinalIgnoreCase) || message.Contains("exec format error", StringComparison.OrdinalIgnoreCase)
                ? ContainerRunException.NotExecutable
                : ContainerRunException.RunError;
}
