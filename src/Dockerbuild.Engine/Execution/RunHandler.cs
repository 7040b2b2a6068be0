using Dockerbuild.Oci.Unix;
using System.Security.Cryptography;
using System.Text;
using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// RUN: the stage's layers stacked as a snapshot, the command run there by the OCI runtime with the
/// stage's env, user, workdir and mounts, and the snapshot's diff committed as a layer.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class RunHandler(BuildSession session)
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private const int TailLines = 20;

    public async Task<StageState> ExecuteAsync(RunInstruction run, StageState state, StepContext step, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("RUN needs Linux.");
        }

        if (run.Security == RunSecurity.Insecure)
        {
            throw new DockerfileException(run.Span, "RUN --security=insecure is not supported: dockerbuild has no entitlement to grant it");
        }

        var config = state.Config.Config;
        var privateDir = Path.Combine(session.WorkRoot, "run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(privateDir);
        var releases = new List<IAsyncDisposable>();
        try
        {
            var env = state.Scope.RunEnvironment.ToDictionary(StringComparer.Ordinal);
            env.TryAdd("PATH", DefaultPath);
            var mounts = new List<ContainerMount>();
            var args = await CommandAsync(run, config, privateDir, mounts, cancellationToken).ConfigureAwait(false);
            var secretEnv = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var mount in run.Mounts)
            {
                var expanded = RunMounts.Parse(mount.Spec, value => SpanExpansion.Expand(run.Span, () => session.Lexer.ProcessWord(value, state.Scope.Environment).Result));
                await AddMountAsync(run, expanded, mounts, secretEnv, privateDir, releases, cancellationToken).ConfigureAwait(false);
            }

            var lowers = await session.Layers.GetTopFirstAsync(state.Layers, state.Config.RootFs.DiffIds, cancellationToken).ConfigureAwait(false);
            var snapshot = await RootfsSnapshots.CreateAsync(lowers, Path.Combine(session.WorkRoot, "snapshots"), session.Options.Snapshots, cancellationToken).ConfigureAwait(false);
            await using (snapshot.ConfigureAwait(false))
            {
                var user = await ResolveUserAsync(run, snapshot.RootfsPath, config.User, cancellationToken).ConfigureAwait(false);
                var spec = new ContainerSpec
                {
                    RootfsPath = snapshot.RootfsPath,
                    Args = args,
                    Env = [.. env.Concat(secretEnv).Select(v => v.Key + "=" + v.Value)],
                    WorkingDirectory = string.IsNullOrEmpty(config.WorkingDir) ? "/" : config.WorkingDir,
                    User = user,
                    Network = run.Network switch
                    {
                        RunNetwork.None => NetworkMode.None,
                        RunNetwork.Host => NetworkMode.Host,
                        _ => NetworkMode.Default,
                    },
                    Mounts = mounts,
                };

                var tail = new Queue<string>();
                var result = await session.Runtime.RunAsync(spec, line =>
                {
                    if (tail.Count == TailLines)
                    {
                        tail.Dequeue();
                    }

                    tail.Enqueue(line.Text);
                    session.Report(new BuildEvent(BuildEventKind.Output, step.Step, line.Text, Elapsed: session.Elapsed));
                    return ValueTask.CompletedTask;
                }, cancellationToken).ConfigureAwait(false);
                session.CountRun();
                if (!result.Succeeded)
                {
                    throw new BuildStepException(run.Span, string.Join(" ", args), result.ExitCode, [.. tail]);
                }

                var entries = await snapshot.DiffAsync(session.SourceDateEpoch ?? step.Created, cancellationToken).ConfigureAwait(false);
                var history = new History
                {
                    Created = step.Created,
                    CreatedBy = "RUN " + CommandString(args, state) + " # buildkit",
                    Comment = "buildkit.dockerfile.v0",
                };
                return await session.Committer.CommitAsync(state, entries, history, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var release in releases)
            {
                await release.DisposeAsync().ConfigureAwait(false);
            }

            Directory.Delete(privateDir, recursive: true);
        }
    }

    /// <summary>
    /// What a RUN reads beyond its command and environment, for its cache key, as BuildKit keys a bind
    /// mount on its content: the content digest of a context source (through the copy planner's
    /// hashing), or the cache key of the stage a mount comes from. Cache, tmpfs and secret mounts do
    /// not change the key.
    /// </summary>
    public async Task<IReadOnlyList<string>> MountInputsAsync(RunInstruction run, StageState state, CancellationToken cancellationToken)
    {
        var inputs = new List<string>();
        foreach (var spec in run.Mounts)
        {
            var mount = RunMounts.Parse(spec.Spec, value => SpanExpansion.Expand(run.Span, () => session.Lexer.ProcessWord(value, state.Scope.Environment).Result));
            if (mount.Type != MountType.Bind)
            {
                continue;
            }

            if (mount.From is not null)
            {
                if (session.Plan.Dockerfile.FindStage(mount.From) is { } stage)
                {
                    inputs.Add("mount " + mount.Target + " stage " + (await session.StageResultAsync(stage.Index).ConfigureAwait(false)).CacheKey + " " + mount.Source);
                }

                continue;
            }

            var context = await session.ContextAsync(cancellationToken).ConfigureAwait(false);
            var source = mount.Source is null or "" or "/" or "." ? "." : mount.Source;
            await using var plan = await session.Copier.PlanAsync(new Copy.CopyRequest
            {
                Sources = [source],
                Destination = "/mount/",
                Source = context.FileSystem,
            }, cancellationToken).ConfigureAwait(false);
            inputs.Add("mount " + mount.Target + " context " + plan.InputDigest);
        }

        return inputs;
    }

    /// <summary>BuildKit's runCommandString: <c>|N A=1 B=2 </c> before the args when the stage declared ARGs.</summary>
    private static string CommandString(IReadOnlyList<string> args, StageState state)
    {
        var buildEnv = state.Scope.Args
            .Select(a => a.Key + "=" + (state.Scope.Environment.TryGetValue(a.Key, out var v) ? v : a.Value ?? ""))
            .ToList();
        var prefix = buildEnv.Count > 0 ? [$"|{buildEnv.Count}", .. buildEnv] : new List<string>();
        return string.Join(" ", prefix.Concat(args));
    }

    /// <summary>
    /// The argv. A shell-form RUN whose command is only a heredoc runs the heredoc as a script file, as
    /// BuildKit does; other heredocs stay in the text for the shell to read.
    /// </summary>
    private static async Task<IReadOnlyList<string>> CommandAsync(RunInstruction run, ContainerConfig config, string privateDir, List<ContainerMount> mounts, CancellationToken cancellationToken)
    {
        var command = run.Command;
        if (command.IsExecForm || command.Heredocs.Count == 0)
        {
            return MetadataHandlers.CommandArgs(command, config);
        }

        var text = command.ShellText ?? "";
        if (command.Heredocs.Count == 1 && text.Trim() is var only && (only == "<<" + command.Heredocs[0].Name || only == "<<-" + command.Heredocs[0].Name
            || only.Trim('"', '\'', '<', '-') == command.Heredocs[0].Name))
        {
            var heredoc = command.Heredocs[0];
            var script = Path.Combine(privateDir, "pipes", heredoc.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(script)!);
            await File.WriteAllTextAsync(script, heredoc.Body, cancellationToken).ConfigureAwait(false);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            mounts.Add(ContainerMount.Bind(script, "/dev/pipes/" + heredoc.Name, readOnly: true));
            return [.. config.Shell ?? MetadataHandlers.DefaultShell, "/dev/pipes/" + heredoc.Name];
        }

        var full = new StringBuilder(text);
        foreach (var heredoc in command.Heredocs)
        {
            full.Append('\n').Append(heredoc.Content).Append(heredoc.Name);
        }

        return [.. config.Shell ?? MetadataHandlers.DefaultShell, full.ToString()];
    }

    private async Task AddMountAsync(RunInstruction run, RunMount mount, List<ContainerMount> mounts, Dictionary<string, string> secretEnv, string privateDir, List<IAsyncDisposable> releases, CancellationToken cancellationToken)
    {
        switch (mount.Type)
        {
            case MountType.Tmpfs:
                mounts.Add(ContainerMount.Tmpfs(Target(run, mount), mount.SizeBytes));
                break;

            case MountType.Secret:
            {
                var id = mount.Id ?? Path.GetFileName(mount.Target ?? "") ?? "";
                var secret = session.Request.Secrets.FirstOrDefault(s => s.Id == id);
                if (secret is null)
                {
                    if (mount.Required)
                    {
                        throw new DockerfileException(run.Span, $"secret {id} is required but was not given (--secret id={id},src=...)");
                    }

                    break;
                }

                var value = await secret.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (mount.Env is { } variable)
                {
                    secretEnv[variable] = Encoding.UTF8.GetString(value);
                    if (mount.Target is null)
                    {
                        break;
                    }
                }

                var file = Path.Combine(privateDir, "secrets", Hash(id));
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllBytesAsync(file, value, cancellationToken).ConfigureAwait(false);
                File.SetUnixFileMode(file, (UnixFileMode)(mount.Mode ?? 0b100_100_100));
                if (mount.Uid is not null || mount.Gid is not null)
                {
                    UnixFiles.LChown(file, (int)(mount.Uid ?? 0), (int)(mount.Gid ?? 0));
                }

                mounts.Add(ContainerMount.Bind(file, mount.Target ?? "/run/secrets/" + id, readOnly: true));
                break;
            }

            case MountType.Cache:
            {
                var id = mount.Id ?? mount.Target ?? "";
                var directory = Path.Combine(session.StoreRoot, "cache", "mounts", Hash(id));
                Directory.CreateDirectory(directory);
                if (mount.Sharing == MountSharing.Private && await CacheMountLock.TryAcquireAsync(directory + ".lock").ConfigureAwait(false) is { } held)
                {
                    releases.Add(held);
                }
                else if (mount.Sharing == MountSharing.Private)
                {
                    // In use by another RUN: BuildKit gives this one a new instance of its own.
                    directory = Path.Combine(privateDir, "cache-" + Guid.NewGuid().ToString("N"));
                    Directory.CreateDirectory(directory);
                }

                if (mount.Sharing == MountSharing.Locked)
                {
                    releases.Add(await CacheMountLock.AcquireAsync(directory + ".lock", cancellationToken).ConfigureAwait(false));
                }

                if (!Directory.EnumerateFileSystemEntries(directory).Any() && (mount.Mode is not null || mount.Uid is not null || mount.Gid is not null))
                {
                    File.SetUnixFileMode(directory, (UnixFileMode)(mount.Mode ?? 0b111_101_101));
                    UnixFiles.LChown(directory, (int)(mount.Uid ?? 0), (int)(mount.Gid ?? 0));
                }

                mounts.Add(ContainerMount.Bind(directory, Target(run, mount), mount.ReadOnly));
                break;
            }

            case MountType.Bind:
            {
                string sourceRoot;
                if (mount.From is null)
                {
                    sourceRoot = Path.GetFullPath(session.Request.ContextDirectory);
                }
                else if (session.Plan.Dockerfile.FindStage(mount.From) is { } stage)
                {
                    var built = await session.StageResultAsync(stage.Index).ConfigureAwait(false);
                    var lowers = await session.Layers.GetTopFirstAsync(built.Layers, built.Config.RootFs.DiffIds, cancellationToken).ConfigureAwait(false);
                    var view = await RootfsSnapshots.CreateAsync(lowers, Path.Combine(session.WorkRoot, "snapshots"), session.Options.Snapshots, cancellationToken).ConfigureAwait(false);
                    releases.Add(view);
                    sourceRoot = view.RootfsPath;
                }
                else
                {
                    throw new DockerfileException(run.Span, $"RUN --mount from={mount.From}: only build stages are supported as mount sources yet");
                }

                var source = RootPath.Resolve(sourceRoot, mount.Source ?? "/");
                if (!Path.Exists(source))
                {
                    throw new DockerfileException(run.Span, $"RUN --mount source {mount.Source ?? "/"} not found");
                }

                if (!mount.ReadOnly)
                {
                    // BuildKit lets a read-write bind be written and throws the writes away: an overlay over a
                    // directory, a private copy of a file.
                    if (Directory.Exists(source))
                    {
                        var scratch = await RootfsSnapshots.CreateAsync([source], Path.Combine(session.WorkRoot, "snapshots"), session.Options.Snapshots, cancellationToken).ConfigureAwait(false);
                        releases.Add(scratch);
                        source = scratch.RootfsPath;
                    }
                    else
                    {
                        var copy = Path.Combine(privateDir, "binds", Guid.NewGuid().ToString("N"));
                        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                        File.Copy(source, copy);
                        source = copy;
                    }
                }

                mounts.Add(ContainerMount.Bind(source, Target(run, mount), mount.ReadOnly));
                break;
            }

            case MountType.Ssh:
                throw new DockerfileException(run.Span, "RUN --mount=type=ssh needs an SSH agent forwarded with --ssh, which dockerbuild does not support yet");
        }
    }

    private static string Target(RunInstruction run, RunMount mount) =>
        mount.Target is { Length: > 0 } target
            ? target
            : throw new DockerfileException(run.Span, $"mount type {mount.Type.ToString().ToLowerInvariant()} needs a target");

    private static async Task<ContainerUser> ResolveUserAsync(RunInstruction run, string rootfs, string? user, CancellationToken cancellationToken)
    {
        try
        {
            return await UserResolver.ResolveAsync(rootfs, user, cancellationToken).ConfigureAwait(false);
        }
        catch (UnknownUserException e)
        {
            throw new DockerfileException(run.Span, e.Message, e);
        }
    }

    private static string Hash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
