using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Engine.Context;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// Turns a RUN's <c>--mount</c> flags into container mounts with BuildKit's semantics
/// (dockerfile2llb's dispatchRunMounts and the solver's mount manager):
/// <list type="bullet">
/// <item>from= is a stage, a named context (directory or image) or an image;</item>
/// <item>a cache mount is created on first use from its from= source (or empty), with mode/uid/gid, and
/// its identity includes that source, as BuildKit keys a cache dir on its id and base ref;</item>
/// <item>secrets take their id from id=, else source=, else the target's name, mode 0400;</item>
/// <item>an ssh mount serves the agent forwarded with --ssh under its id; without one it fails only
/// when required, otherwise it is left out and SSH_AUTH_SOCK still names the first ssh target.</item>
/// </list>
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class RunMountResolver(BuildSession session, BaseImageResolver bases)
{
    public const string DefaultSshId = "default";

    /// <summary>
    /// What a RUN reads beyond its command and environment, for its cache key, as BuildKit makes a
    /// mount's source an input of the exec: the content digest of a context or named-context source,
    /// the cache key of a stage, the digest of an image. Tmpfs and secret mounts do not change the key.
    /// </summary>
    public async Task<IReadOnlyList<string>> InputsAsync(RunInstruction run, StageState state, CancellationToken cancellationToken)
    {
        var inputs = new List<string>();
        foreach (var spec in run.Mounts)
        {
            var mount = Expand(run, spec, state);
            if (mount.Type is MountType.Bind or MountType.Cache && (mount.From is not null || mount.Type == MountType.Bind))
            {
                inputs.Add(mount.Type.ToString() + " " + mount.Target + " " + await IdentityAsync(run, mount.From, mount.Source, cancellationToken).ConfigureAwait(false));
            }
        }

        return inputs;
    }

    public RunMount Expand(RunInstruction run, RunMount spec, StageState state) =>
        RunMounts.Parse(spec.Spec, value => SpanExpansion.Expand(run.Span, () => session.Lexer.ProcessWord(value, state.Scope.Environment).Result));

    /// <summary>Adds the container mounts (and secret or ssh environment) of every --mount of the RUN.</summary>
    public async Task AddAllAsync(RunInstruction run, StageState state, RunMountSet set, CancellationToken cancellationToken)
    {
        var sshIndex = 0;
        foreach (var spec in run.Mounts)
        {
            var mount = Expand(run, spec, state);
            switch (mount.Type)
            {
                case MountType.Tmpfs:
                    set.Mounts.Add(ContainerMount.Tmpfs(Target(run, mount, set), mount.SizeBytes));
                    break;
                case MountType.Secret:
                    await AddSecretAsync(run, mount, set, cancellationToken).ConfigureAwait(false);
                    break;
                case MountType.Cache:
                    await AddCacheAsync(run, mount, set, cancellationToken).ConfigureAwait(false);
                    break;
                case MountType.Bind:
                    await AddBindAsync(run, mount, set, cancellationToken).ConfigureAwait(false);
                    break;
                case MountType.Ssh:
                    AddSsh(run, mount, sshIndex++, set);
                    break;
            }
        }
    }

    private async Task AddSecretAsync(RunInstruction run, RunMount mount, RunMountSet set, CancellationToken cancellationToken)
    {
        var id = mount.Source ?? mount.Id ?? (mount.Target is { } t ? BaseName(t) : "");
        var secret = session.Request.Secrets.FirstOrDefault(s => s.Id == id);
        if (secret is null)
        {
            if (mount.Required)
            {
                throw new DockerfileException(run.Span, $"secret {id}: not found (it is required: pass it with --secret id={id},src=FILE)");
            }

            // BuildKit leaves an optional missing secret out: no file, no variable.
            return;
        }

        var value = await secret.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (mount.Env is { } variable)
        {
            set.Env[variable] = Encoding.UTF8.GetString(value);
            if (mount.Target is null)
            {
                return;
            }
        }

        var file = Path.Combine(set.PrivateDirectory, "secrets", Hash(id));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, value, cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(file, (UnixFileMode)(mount.Mode ?? 0b100_000_000));
        if (mount.Uid is not null || mount.Gid is not null)
        {
            // Only when asked: a rootless build's files are already root's inside the container.
            UnixFiles.LChown(file, (int)(mount.Uid ?? 0), (int)(mount.Gid ?? 0));
        }
        var target = mount.Target is { Length: > 0 } ? Target(run, mount, set) : "/run/secrets/" + BaseName(id);
        set.Mounts.Add(ContainerMount.Bind(file, target, readOnly: true));
    }

    private async Task AddCacheAsync(RunInstruction run, RunMount mount, RunMountSet set, CancellationToken cancellationToken)
    {
        var target = Target(run, mount, set);
        // BuildKit's cache id is "<BUILDKIT_CACHE_MOUNT_NS>/<id or target>".
        var id = (session.Request.BuildArgs.TryGetValue("BUILDKIT_CACHE_MOUNT_NS", out var ns) ? ns : "") + "/" + (mount.Id ?? target);
        var source = mount.From is null ? "" : await IdentityAsync(run, mount.From, mount.Source, cancellationToken).ConfigureAwait(false);
        var owner = string.Create(CultureInfo.InvariantCulture, $"{mount.Mode}:{mount.Uid}:{mount.Gid}");
        var directory = Path.Combine(session.StoreRoot, "cache", "mounts", Hash(id + "\n" + source + "\n" + owner));
        if (!Directory.Exists(directory))
        {
            await CreateCacheAsync(run, mount, directory, set, cancellationToken).ConfigureAwait(false);
        }

        if (mount.Sharing == MountSharing.Private)
        {
            if (await CacheMountLock.TryAcquireAsync(directory + ".lock").ConfigureAwait(false) is { } held)
            {
                set.Releases.Add(held);
            }
            else
            {
                // In use by another RUN: BuildKit gives this one a new instance of its own.
                directory = Path.Combine(set.PrivateDirectory, "cache-" + Guid.NewGuid().ToString("N"));
                await CreateCacheAsync(run, mount, directory, set, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (mount.Sharing == MountSharing.Locked)
        {
            set.Releases.Add(await CacheMountLock.AcquireAsync(directory + ".lock", cancellationToken).ConfigureAwait(false));
        }

        set.Mounts.Add(ContainerMount.Bind(directory, target, mount.ReadOnly));
    }

    /// <summary>
    /// A new cache directory, made aside and renamed into place so that two builds creating it at
    /// once both see one whole seeded directory: the from= source's path copied in, or empty; a
    /// mount with mode/uid/gid (and no source path) gets them on its root, as BuildKit's mkdir /cache.
    /// </summary>
    private async Task CreateCacheAsync(RunInstruction run, RunMount mount, string directory, RunMountSet set, CancellationToken cancellationToken)
    {
        var staging = directory + ".new-" + Guid.NewGuid().ToString("N");
        try
        {
            if (mount.From is not null)
            {
                var root = await FromRootAsync(run, mount.From, set, cancellationToken).ConfigureAwait(false);
                var source = RootPath.Resolve(root, mount.Source ?? "/");
                if (!Directory.Exists(source))
                {
                    throw new DockerfileException(run.Span, $"RUN --mount=type=cache from={mount.From}: source {mount.Source ?? "/"} is not a directory");
                }

                await new TreeCopier().CopyAsync(source, staging, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Directory.CreateDirectory(staging);
                File.SetUnixFileMode(staging, (UnixFileMode)0b111_101_101);
            }

            if (mount.Source is null or "/" && (mount.Mode is not null || mount.Uid is not null || mount.Gid is not null))
            {
                File.SetUnixFileMode(staging, (UnixFileMode)(mount.Mode ?? 0b111_101_101));
                UnixFiles.LChown(staging, (int)(mount.Uid ?? 0), (int)(mount.Gid ?? 0));
            }

            Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
            try
            {
                Directory.Move(staging, directory);
            }
            catch (IOException) when (Directory.Exists(directory))
            {
                // Another build created it first; theirs is as good as ours.
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private async Task AddBindAsync(RunInstruction run, RunMount mount, RunMountSet set, CancellationToken cancellationToken)
    {
        var root = mount.From is null
            ? Path.GetFullPath(session.Request.ContextDirectory)
            : await FromRootAsync(run, mount.From, set, cancellationToken).ConfigureAwait(false);
        var source = RootPath.Resolve(root, mount.Source ?? "/");
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
                set.Releases.Add(scratch);
                source = scratch.RootfsPath;
            }
            else
            {
                var copy = Path.Combine(set.PrivateDirectory, "binds", Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(source, copy);
                source = copy;
            }
        }

        set.Mounts.Add(ContainerMount.Bind(source, Target(run, mount, set), mount.ReadOnly));
    }

    /// <summary>
    /// A forwarded agent is served on a socket of the RUN's own at the target (default
    /// /run/buildkit/ssh_agent.N, as dockerfile2llb numbers them); without one BuildKit's rules apply:
    /// a required mount fails, an optional one is left out.
    /// </summary>
    private void AddSsh(RunInstruction run, RunMount mount, int index, RunMountSet set)
    {
        var id = mount.Id ?? DefaultSshId;
        var target = mount.Target is { Length: > 0 } ? Target(run, mount, set) : "/run/buildkit/ssh_agent." + index.ToString(CultureInfo.InvariantCulture);
        set.SshAuthSock ??= target;
        if (session.Request.Ssh.LastOrDefault(a => a.Id == id) is { } agent)
        {
            if (agent.Socket.Length == 0)
            {
                throw new DockerfileException(run.Span, $"the key files of --ssh {id} are not served by an agent (SshKeyAgent.ServeKeysAsync)");
            }

            var proxy = SshAgentProxy.Start(agent.Socket, mount.Mode, mount.Uid, mount.Gid);
            set.Releases.Add(proxy);
            set.Mounts.Add(ContainerMount.Bind(proxy.SocketPath, target, readOnly: false));
        }
        else if (mount.Required)
        {
            throw new DockerfileException(run.Span, $"no SSH key \"{id}\" forwarded from the client");
        }
    }

    /// <summary>The root filesystem a from= names: a named context directory as is, else a stage's or an image's layers as a read view.</summary>
    private async Task<string> FromRootAsync(RunInstruction run, string from, RunMountSet set, CancellationToken cancellationToken)
    {
        if (session.Request.NamedContexts.TryGetValue(from, out var named) && NamedContexts.Directory(named) is { } directory)
        {
            return directory;
        }

        var (layers, diffIds) = await FromLayersAsync(run, from, cancellationToken).ConfigureAwait(false);
        var lowers = await session.Layers.GetTopFirstAsync(layers, diffIds, cancellationToken).ConfigureAwait(false);
        var view = await RootfsSnapshots.CreateAsync(lowers, Path.Combine(session.WorkRoot, "snapshots"), session.Options.Snapshots, cancellationToken).ConfigureAwait(false);
        set.Releases.Add(view);
        return view.RootfsPath;
    }

    private async Task<(IReadOnlyList<Descriptor> Layers, IReadOnlyList<Digest> DiffIds)> FromLayersAsync(RunInstruction run, string from, CancellationToken cancellationToken)
    {
        if (Stage(from) is { } stage)
        {
            var built = await session.StageResultAsync(stage.Index).ConfigureAwait(false);
            return (built.Layers, built.Config.RootFs.DiffIds);
        }

        var image = await ImageAsync(run, from, cancellationToken).ConfigureAwait(false);
        if (!session.Request.NamedContexts.ContainsKey(from))
        {
            // BuildKit resolves RUN --mount from=<image> as a stage of its own, platform-checked at the RUN.
            session.Lint?.RecordBasePlatform(session, from, session.Plan.TargetPlatform, false, image.Config.Value, run.Span);
        }

        return (image.Layers, image.Config.Value.RootFs.DiffIds);
    }

    private async Task<Oci.Storage.LocalImage> ImageAsync(RunInstruction run, string from, CancellationToken cancellationToken)
    {
        var reference = session.Request.NamedContexts.TryGetValue(from, out var named) ? NamedContexts.ImageReference(named) ?? from : from;
        try
        {
            return await bases.ResolveAsync(reference, session.Request.Pull, session.Plan.TargetPlatform, cancellationToken).ConfigureAwait(false);
        }
        catch (BuildException e)
        {
            throw new DockerfileException(run.Span, e.Message, e);
        }
    }

    /// <summary>A stable name for what a mount reads: content digest of a directory source, a stage's cache key, an image's digest.</summary>
    private async Task<string> IdentityAsync(RunInstruction run, string? from, string? source, CancellationToken cancellationToken)
    {
        ISourceFileSystem? directory = null;
        if (from is null)
        {
            directory = (await session.ContextAsync(cancellationToken).ConfigureAwait(false)).FileSystem;
        }
        else if (session.Request.NamedContexts.TryGetValue(from, out var named) && NamedContexts.Directory(named) is { } path)
        {
            directory = await NamedContexts.FileSystemAsync(path, cancellationToken).ConfigureAwait(false);
        }

        if (directory is not null)
        {
            await using var plan = await session.Copier.PlanAsync(new Copy.CopyRequest
            {
                Sources = [source is null or "" or "/" or "." ? "." : source],
                Destination = "/mount/",
                Source = directory,
            }, cancellationToken).ConfigureAwait(false);
            return "content " + plan.InputDigest;
        }

        if (Stage(from!) is { } stage)
        {
            return "stage " + (await session.StageResultAsync(stage.Index).ConfigureAwait(false)).CacheKey + " " + source;
        }

        return "image " + (await ImageAsync(run, from!, cancellationToken).ConfigureAwait(false)).Manifest.Digest + " " + source;
    }

    private Stage? Stage(string from) =>
        session.Plan.Dockerfile.FindStage(from) is { } stage && session.Plan.Stages.Any(s => s.Stage.Index == stage.Index) ? stage : null;

    /// <summary>BuildKit joins a relative target to the working directory; "/" is refused.</summary>
    private static string Target(RunInstruction run, RunMount mount, RunMountSet set)
    {
        if (mount.Target is not { Length: > 0 } target)
        {
            throw new DockerfileException(run.Span, $"mount type {mount.Type.ToString().ToLowerInvariant()} needs a target");
        }

        var full = WorkdirHandler.Clean(target.StartsWith('/') ? target : set.WorkingDirectory + "/" + target);
        return full == "/" ? throw new DockerfileException(run.Span, $"invalid mount target \"{target}\"") : full;
    }

    /// <summary>Go's path.Base.</summary>
    private static string BaseName(string path) => WorkdirHandler.Clean("/" + path) is var clean && clean == "/" ? "/" : clean[(clean.LastIndexOf('/') + 1)..];

    private static string Hash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
