using System.Text;
using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// RUN: the stage's layers stacked as a snapshot, the command run there by the OCI runtime with the
/// stage's env, user, workdir and mounts, and the snapshot's diff committed as a layer.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class RunHandler(BuildSession session, RunMountResolver mountResolver)
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private const int TailLines = 20;

    public async Task<StageState> ExecuteAsync(RunInstruction run, StageState state, StepContext step, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("RUN needs Linux.");
        }

        try
        {
            // A foreign platform's programs run through a binfmt_misc emulator (QEMU), transparently to runc, as in BuildKit.
            Planning.Emulators.EnsureRunnable(state.Platform, session.Options.BinfmtDirectory);
        }
        catch (BuildException e)
        {
            throw new DockerfileException(run.Span, e.Message, e);
        }

        var config = state.Config.Config;
        var privateDir = Path.Combine(session.WorkRoot, "run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(privateDir);
        var set = new RunMountSet(string.IsNullOrEmpty(config.WorkingDir) ? "/" : config.WorkingDir, privateDir);
        try
        {
            var env = state.Scope.RunEnvironment.ToDictionary(StringComparer.Ordinal);
            env.TryAdd("PATH", DefaultPath);
            var args = await CommandAsync(run, config, privateDir, set.Mounts, cancellationToken).ConfigureAwait(false);
            await mountResolver.AddAllAsync(run, state, set, cancellationToken).ConfigureAwait(false);
            if (set.SshAuthSock is { } socket)
            {
                env.TryAdd("SSH_AUTH_SOCK", socket);
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
                    Env = [.. env.Where(v => !set.Env.ContainsKey(v.Key)).Concat(set.Env).Select(v => v.Key + "=" + v.Value)],
                    WorkingDirectory = string.IsNullOrEmpty(config.WorkingDir) ? "/" : config.WorkingDir,
                    User = user,
                    Network = run.Network switch
                    {
                        RunNetwork.None => NetworkMode.None,
                        RunNetwork.Host => NetworkMode.Host,
                        _ => NetworkMode.Default,
                    },
                    Mounts = set.Mounts,
                    Privileged = run.Security == RunSecurity.Insecure,
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
                return await session.Committer.CommitAsync(state, entries, history, step.LayerUsedLater, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var release in set.Releases)
            {
                await release.DisposeAsync().ConfigureAwait(false);
            }

            Directory.Delete(privateDir, recursive: true);
        }
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
}
